/**
 * The capture conditions a player meets away from a sharp, close phone photo,
 * made from any photo with sharp alone and deterministically (same bytes in,
 * same bytes out): a webcam's low resolution and blur, a dim room, strong
 * compression, a portrait photo without its EXIF turn, a desk shot where the
 * cards fill a small part of the frame. Evaluation data only: never train or
 * tune on what these make from the real photos.
 */
import sharp, { type Sharp } from 'sharp';

export interface Variant {
  name: string;
  /** What it imitates, for the bench's table. */
  about: string;
  make(photo: Buffer): Promise<Buffer>;
}

const JPEG_QUALITY = 92;
/** The width a webcam-class frame is brought to before blur is applied (the "at 640 px width"). */
const WEBCAM_WIDTH = 640;

/** The photo upright (EXIF applied) and 640 px wide, as raw RGB. */
async function webcamFrame(photo: Buffer): Promise<Sharp> {
  return sharp(photo).rotate().resize({ width: WEBCAM_WIDTH }).removeAlpha();
}

const jpeg = (image: Sharp) => image.jpeg({ quality: JPEG_QUALITY }).toBuffer();

/** A small, fast, seeded generator (mulberry32), so the noise is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a seeded uniform source (Box–Muller). */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Dim room: brightness −45 %, contrast −20 % (about the image's mean), then sensor noise σ = 8/255 per channel. */
async function dim(photo: Buffer): Promise<Buffer> {
  const { data, info } = await (await webcamFrame(photo)).raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (const v of data) sum += v * 0.55;
  const mean = sum / data.length;
  const noise = gaussian(seeded(8));
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const dimmed = data[i]! * 0.55;
    out[i] = Math.max(0, Math.min(255, Math.round(mean + (dimmed - mean) * 0.8 + 8 * noise())));
  }
  return jpeg(sharp(out, { raw: { width: info.width, height: info.height, channels: 3 } }));
}

/** A 9 px horizontal motion blur: the camera moved sideways during the exposure. */
async function motionBlur(photo: Buffer): Promise<Buffer> {
  const size = 9;
  const kernel = Array.from({ length: size * size }, (_, i) => (Math.floor(i / size) === (size - 1) / 2 ? 1 : 0));
  return jpeg((await webcamFrame(photo)).convolve({ width: size, height: size, kernel }));
}

const TABLE_WIDTH = 1600;
const TABLE_HEIGHT = 1200;
/** How much of its own size the photo keeps on the table-top: a desk or tripod shot of a far hand. */
const FAR_SHARE = 0.35;

/**
 * A 1600×1200 table-top: a wood-like grain (stretched value noise in warm
 * browns) with fine grain noise, the same on every run.
 */
async function tableTop(): Promise<Buffer> {
  const random = seeded(1600);
  const cells = 24;
  const lattice = Array.from({ length: (cells + 1) * (cells + 1) }, random);
  const at = (i: number, j: number) => lattice[Math.min(cells, j) * (cells + 1) + Math.min(cells, i)]!;
  const smooth = (x: number, y: number) => {
    const i = Math.floor(x);
    const j = Math.floor(y);
    const fx = x - i;
    const fy = y - j;
    const sx = fx * fx * (3 - 2 * fx);
    const sy = fy * fy * (3 - 2 * fy);
    const top = at(i, j) + (at(i + 1, j) - at(i, j)) * sx;
    const bottom = at(i, j + 1) + (at(i + 1, j + 1) - at(i, j + 1)) * sx;
    return top + (bottom - top) * sy;
  };
  const grain = gaussian(seeded(1200));
  const out = Buffer.alloc(TABLE_WIDTH * TABLE_HEIGHT * 3);
  for (let y = 0; y < TABLE_HEIGHT; y++) {
    for (let x = 0; x < TABLE_WIDTH; x++) {
      // Grain runs along x: the noise is sampled stretched, and bent into rings.
      const n = smooth((x / TABLE_WIDTH) * 3, (y / TABLE_HEIGHT) * cells * 0.9);
      const ring = 0.5 + 0.5 * Math.sin(n * 18 + y * 0.02);
      const shade = 0.55 + 0.35 * ring + 0.04 * grain();
      const p = 3 * (y * TABLE_WIDTH + x);
      out[p] = Math.max(0, Math.min(255, Math.round(150 * shade)));
      out[p + 1] = Math.max(0, Math.min(255, Math.round(98 * shade)));
      out[p + 2] = Math.max(0, Math.min(255, Math.round(58 * shade)));
    }
  }
  return out;
}

let table: Promise<Buffer> | undefined;

/** The photo shrunk to 35 % of its size, lying off-centre on the 1600×1200 table-top. */
async function farAway(photo: Buffer, upsideDown: boolean): Promise<Buffer> {
  table ??= tableTop();
  const upright = sharp(photo).rotate();
  const meta = await upright.metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = Math.round((turned ? meta.height! : meta.width!) * FAR_SHARE);
  const small = await upright.resize({ width }).removeAlpha().png().toBuffer();
  const composite = await sharp(await table, { raw: { width: TABLE_WIDTH, height: TABLE_HEIGHT, channels: 3 } })
    .composite([{ input: small, left: Math.round(TABLE_WIDTH * 0.42), top: Math.round(TABLE_HEIGHT * 0.31) }])
    .png()
    .toBuffer();
  return jpeg(sharp(composite).rotate(upsideDown ? 180 : 0));
}

export const VARIANTS: readonly Variant[] = [
  { name: 'as taken', about: 'the photo itself', make: async (photo) => photo },
  { name: '320 px wide', about: 'a low-resolution webcam frame', make: (p) => jpeg(sharp(p).rotate().resize({ width: 320 })) },
  {
    name: '256 colours',
    about: 'a GIF-like palette, dithered',
    make: (p) => sharp(p).rotate().png({ palette: true, colours: 256, dither: 1 }).toBuffer(),
  },
  { name: 'JPEG q15', about: 'strong compression', make: (p) => sharp(p).rotate().jpeg({ quality: 15 }).toBuffer() },
  { name: 'blur σ1.5', about: 'slightly out of focus (640 px wide)', make: async (p) => jpeg((await webcamFrame(p)).blur(1.5)) },
  { name: 'blur σ2.5', about: 'an unfocused webcam (640 px wide)', make: async (p) => jpeg((await webcamFrame(p)).blur(2.5)) },
  { name: 'motion 9 px', about: 'the camera moved (640 px wide)', make: motionBlur },
  { name: 'dim + noise', about: 'brightness −45 %, contrast −20 %, noise σ 8/255', make: dim },
  { name: 'turned 90°', about: 'a portrait photo without its EXIF tag', make: (p) => jpeg(sharp(p).rotate().rotate(90)) },
  { name: 'turned 180°', about: 'upside down', make: (p) => jpeg(sharp(p).rotate().rotate(180)) },
  { name: 'far, 35 %', about: 'shrunk to 35 % on a 1600×1200 table-top', make: (p) => farAway(p, false) },
  { name: 'far, upside down', about: 'the same, turned 180°', make: (p) => farAway(p, true) },
];
