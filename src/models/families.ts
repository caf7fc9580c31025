// The model families: what one sample is and how it is costed (a CNN image, an LLM token, a speech clip).
export const FAMILIES = ["cnn", "mlp", "encoder", "decoder-llm", "moe-llm", "diffusion", "speech", "tiny"] as const;
export type Family = (typeof FAMILIES)[number];
