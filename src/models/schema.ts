import { z } from "zod";
import { lazily } from "../once.js";
import { PRECISIONS } from "../catalog/schema.js";

import { FAMILIES } from "./families.js";

export { FAMILIES, type Family } from "./families.js";

export type ModelPreset = z.output<Schemas["ModelPresetSchema"]>;

// Built on first use, not at import: constructing these zod schemas costs milliseconds a command
// that never reads them (catalog, schema, --version) should not pay.
function define() {
  /**
   * What a model costs to run. FLOPs count a multiply-accumulate as 2. For LLMs the per-token cost is
   * derived from the parameters (2 × active params per token) plus attention over the context.
   */
  const ModelPresetSchema = z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    name: z.string().min(1),
    family: z.enum(FAMILIES),
    /** Total parameters. */
    params: z.number().positive(),
    /** Parameters used per token (mixture of experts); default = params. */
    active_params: z.number().positive().optional(),
    /** FLOPs per sample (image, sequence, window, generated image) for non-LLM models; 2 × MACs. */
    flops_per_sample: z.number().positive().optional(),
    /** Activation bytes written+read per sample at 1 byte per element (scaled by precision). */
    activation_elems_per_sample: z.number().nonnegative().optional(),
    /** Layers with a kernel launch each (latency floor per batch): conv/linear layers, or transformer blocks. */
    layers: z.number().int().positive().optional(),
    hidden: z.number().int().positive().optional(),
    heads: z.number().int().positive().optional(),
    kv_heads: z.number().int().positive().optional(),
    head_dim: z.number().int().positive().optional(),
    /** Mixture of experts: experts per layer and experts chosen per token. */
    experts: z.number().int().positive().optional(),
    experts_per_token: z.number().int().positive().optional(),
    /** Multi-head latent attention (DeepSeek-V2/V3): rank of the cached KV latent and the decoupled RoPE key width. */
    kv_lora_rank: z.number().int().positive().optional(),
    qk_rope_head_dim: z.number().int().positive().optional(),
    /**
     * Sliding-window attention: the window in tokens and how many layers use it (the rest attend to the whole
     * context). A sliding layer caches at most `sliding_window` tokens. `sliding_layers` defaults to every layer.
     */
    sliding_window: z.number().int().positive().optional(),
    sliding_layers: z.number().int().nonnegative().optional(),
    max_context: z.number().int().positive().optional(),
    /**
     * Weights stored in a block-scaled format the newest tensor cores multiply natively (`mxfp4`: gpt-oss's
     * expert weights), rather than one a kernel must widen to 16 bits (AWQ, GPTQ, GGUF).
     */
    weight_format: z.enum(["mxfp4"]).optional(),
    /**
     * The preset whose architecture this one shares exactly (a later release or fine-tune of the same
     * network, e.g. Llama 3.3 70B of Llama 3 70B): per-token API prices listed under that preset apply.
     */
    architecture_of: z.string().optional(),
    /** Typical sequence length for encoders (tokens per sample). */
    seq_len: z.number().int().positive().optional(),
    /** Default input/output tokens for LLM requests when the profile does not say. */
    input_tokens: z.number().int().positive().optional(),
    output_tokens: z.number().int().positive().optional(),
    /** Beam search width for generation benchmarks (GPT-J in MLPerf uses 4): each request decodes this many sequences. */
    beams: z.number().int().positive().optional(),
    /** Diffusion: denoising steps and UNet/DiT evaluations per step (2 with classifier-free guidance). */
    steps: z.number().int().positive().optional(),
    evals_per_step: z.number().int().positive().optional(),
    /** Precision the model is published/trained in. */
    default_precision: z.enum(PRECISIONS),
    /** Narrowest precision the family is commonly served at with acceptable accuracy. */
    min_precision: z.enum(PRECISIONS).optional(),
    /** Training samples' size for dataset arithmetic (tokens per sample for LLM/encoders). */
    tokens_per_sample: z.number().positive().optional(),
    /** What one sample (one "inference" in throughput and cost figures) is, where it is not the obvious unit. */
    sample: z.string().min(1).optional(),
    source: z.string().regex(/^https?:\/\/\S+$/),
    sources: z.array(z.string().regex(/^https?:\/\/\S+$/)).optional(),
    note: z.string().optional(),
  });
  const ModelFileSchema = z.strictObject({ models: z.array(ModelPresetSchema) });
  return { ModelPresetSchema, ModelFileSchema };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const ModelPresetSchema = schema("ModelPresetSchema");
export const ModelFileSchema = schema("ModelFileSchema");
