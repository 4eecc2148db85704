/** Photos from files: read as data URLs, shrunk when very large (the API takes at most 10 MB). */

const MAX_SIDE = 2048;
const MAX_BYTES_AS_IS = 4 * 1024 * 1024;

export function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

export function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the picture could not be opened'));
    img.src = src;
  });
}

/** A photo file as a JPEG/PNG/WebP data URL the API accepts; big photos are re-encoded smaller. */
export async function fileToPhoto(file: File): Promise<string> {
  if (file.type && !file.type.startsWith('image/')) {
    throw new Error(`"${file.name}" is not a picture (${file.type}). Choose a JPEG, PNG or WebP photo.`);
  }
  const dataUrl = await readAsDataUrl(file);
  let img: HTMLImageElement;
  try {
    img = await loadImage(dataUrl);
  } catch {
    throw new Error(`"${file.name}" could not be opened as a picture in this browser. Try a JPEG or PNG.`);
  }
  const longest = Math.max(img.naturalWidth, img.naturalHeight);
  if (file.size <= MAX_BYTES_AS_IS && longest <= MAX_SIDE) return dataUrl;
  const scale = Math.min(1, MAX_SIDE / longest);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(img.naturalWidth * scale);
  canvas.height = Math.round(img.naturalHeight * scale);
  canvas.getContext('2d')!.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', 0.9);
}

/** The first picture in a paste or drop, if any. */
export function imageFrom(data: DataTransfer | null): File | null {
  if (!data) return null;
  for (const file of Array.from(data.files)) if (file.type.startsWith('image/')) return file;
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind === 'file' && item.type.startsWith('image/')) return item.getAsFile();
  }
  return null;
}
