/** Colour functions passed into reporters; identity when colour is off. Reporters never detect colour. */
export interface Paint {
  readonly ok: (s: string) => string;
  readonly bad: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const id = (s: string) => s;
export const NO_PAINT: Paint = { ok: id, bad: id, warn: id, dim: id, bold: id };
