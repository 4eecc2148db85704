/**
 * Which photo formats are read, told from the bytes (never the declared type),
 * and the words for what is refused. Pure: the server checks a photo with it
 * before any decoding, and the page's on-device reader checks the same way.
 */

/** The formats cameras and phones write, as sharp names them ('heif' is AVIF here: this libvips has no HEVC decoder). */
export const PHOTO_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];
export const FORMAT_NAMES = 'JPEG, PNG, WebP, GIF, TIFF, AVIF';

/** No photo of cards is longer than this many times its width; a 1 × 39,000,000 PNG is a way to make a decoder crawl. */
export const MAX_ASPECT = 8;
/** The largest photo read unless a setting says otherwise (QUIDDLER_MAX_IMAGE_MEGAPIXELS): a 24 MP phone photo is the largest real input. */
export const DEFAULT_MAX_IMAGE_PIXELS = 25_000_000;

/** What is wrong with a photo's size (after its EXIF turn), if anything: over the pixel cap, or longer than MAX_ASPECT to one. */
export function sizeProblem(width: number, height: number, capPixels: number): string | undefined {
  if (width * height > capPixels) return `the image is ${width}×${height}, over ${capPixels / 1e6} megapixels`;
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height))
    return `the image is ${width}×${height}: more than ${MAX_ASPECT} times longer than wide`;
  return undefined;
}

/** The bytes from `start` to `end` as Latin-1 text (one character a byte). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}

/** The format the bytes are in, from their first bytes; undefined for anything but the photo formats read. */
export function sniffFormat(bytes: Uint8Array): PhotoFormat | undefined {
  const at = (offset: number, text: string) => latin1(bytes, offset, offset + text.length) === text;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (at(0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return 'webp';
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return 'gif';
  if (at(0, 'II*\0') || at(0, 'MM\0*')) return 'tiff';
  if (at(4, 'ftyp') && isobmffBrands(bytes).some((brand) => brand === 'avif' || brand === 'avis')) return 'heif';
  return undefined;
}

/** The major and compatible brands of an ISO media file's leading ftyp box (AVIF may be branded mif1, with avif among the compatible). */
function isobmffBrands(bytes: Uint8Array): string[] {
  const boxSize = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(0) : 0;
  const end = Math.min(bytes.length, boxSize, 256);
  const brands = [latin1(bytes, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(latin1(bytes, at, at + 4));
  return brands;
}

/** Why the bytes are refused, naming the common non-photos sent by mistake (or on purpose). */
export function refusal(bytes: Uint8Array): string {
  const head = latin1(bytes, 0, 1024);
  const what = head.startsWith('%PDF')
    ? 'a PDF'
    : /<svg[\s>]/i.test(head) || /^\s*<\?xml/i.test(head)
      ? 'SVG or XML (drawn, not decoded)'
      : /^.{4}ftyp(hei[cx]|hevc|hev[xms]|mif1|msf1)/s.test(head)
        ? 'HEIC (not readable here)'
        : 'no image format that is read';
  return `not a supported image: ${what}; send a photo (${FORMAT_NAMES})`;
}
