// What a .zip of class folders holds, read in the browser before it is sent: the entry names from the archive's
// central directory (nothing is inflated; only the directory's bytes are read from the file), then grouped into class
// folders the way the server groups them (ImageZip.cs): folders, hidden entries and __MACOSX/ skipped, one folder
// wrapping everything looked through, the first folder below that is the class.

const EndOfDirectory = 0x06054b50, Zip64Locator = 0x07064b50, Zip64End = 0x06064b50, DirectoryEntry = 0x02014b50;
const ImageExtensions = /\.(png|jpe?g|bmp|gif)$/i;

/** The entry names of a zip File or Blob, in directory order. Throws an Error saying what is wrong for a file that is
 *  not a zip archive or whose directory is damaged. */
export async function zipEntryNames(file) {
  const tailSize = Math.min(file.size, 22 + 0xffff); // the end record, then a comment of at most 65535 bytes
  const tailStart = file.size - tailSize;
  const tail = new DataView(await file.slice(tailStart).arrayBuffer());
  let end = -1;
  for (let i = tailSize - 22; i >= 0; i--) if (tail.getUint32(i, true) === EndOfDirectory) { end = i; break; }
  if (end < 0) throw new Error('not a .zip archive (no end-of-central-directory record)');
  let count = tail.getUint16(end + 10, true), size = tail.getUint32(end + 12, true), offset = tail.getUint32(end + 16, true);
  if (end >= 20 && tail.getUint32(end - 20, true) === Zip64Locator) { // ZIP64: the real numbers are in its own record
    const at = Number(tail.getBigUint64(end - 20 + 8, true));
    const rec = new DataView(await file.slice(at, at + 56).arrayBuffer());
    if (rec.byteLength < 56 || rec.getUint32(0, true) !== Zip64End) throw new Error('damaged .zip archive (ZIP64 record not found)');
    count = Number(rec.getBigUint64(32, true)); size = Number(rec.getBigUint64(40, true)); offset = Number(rec.getBigUint64(48, true));
  }
  if (offset + size > file.size) throw new Error('damaged .zip archive (the central directory lies past the end of the file)');
  const dir = new DataView(await file.slice(offset, offset + size).arrayBuffer());
  const utf8 = new TextDecoder('utf-8');
  const names = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.byteLength || dir.getUint32(p, true) !== DirectoryEntry) throw new Error(`damaged .zip archive (entry ${i + 1} of ${count} of the central directory)`);
    const nameLength = dir.getUint16(p + 28, true), extraLength = dir.getUint16(p + 30, true), commentLength = dir.getUint16(p + 32, true);
    if (p + 46 + nameLength > dir.byteLength) throw new Error('damaged .zip archive (a name runs past the central directory)');
    names.push(utf8.decode(new Uint8Array(dir.buffer, dir.byteOffset + p + 46, nameLength)));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Entry names grouped as the server will: { classes: [{ name, files, other }] sorted by name (ordinal), loose: paths
 *  outside any class folder, wrapper: the folder looked through ('' for none) }. `other` counts files whose name does
 *  not end in an image extension (the server decides by content, so they may still be images). */
export function classFolders(names) {
  const paths = [];
  for (const raw of names) {
    const full = raw.replaceAll('\\', '/');
    const parts = full.split('/').filter(Boolean);
    if (full.endsWith('/') || parts.length === 0) continue; // a folder
    if (parts[0] === '__MACOSX' || parts.some((x) => x.startsWith('.'))) continue;
    paths.push(parts);
  }
  let skip = 0;
  while (paths.length && paths.every((x) => x.length > skip + 2 && x[skip] === paths[0][skip])) skip++;
  const loose = paths.filter((x) => x.length - skip < 2).map((x) => x.join('/'));
  const byClass = new Map();
  for (const x of paths) {
    if (x.length - skip < 2) continue;
    const c = byClass.get(x[skip]) ?? { name: x[skip], files: 0, other: 0 };
    c.files++;
    if (!ImageExtensions.test(x[x.length - 1])) c.other++;
    byClass.set(c.name, c);
  }
  const classes = [...byClass.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { classes, loose, wrapper: paths.length ? paths[0].slice(0, skip).join('/') : '' };
}
