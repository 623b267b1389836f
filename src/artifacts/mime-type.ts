/**
 * The content type an artifact is served with, as MLflow's `mlflow/utils/mime_type_utils.py::_guess_mime_type`
 * decides it: text/plain for its list of text extensions (and the extension-less `MLmodel` / `MLproject`), else what
 * Python's `mimetypes` would say for common types, else application/octet-stream. Downloads are always sent as
 * attachments with `nosniff`, so no type here lets a browser render an artifact in the server's origin.
 */
const TEXT_EXTENSIONS = new Set([
  'txt', 'log', 'err', 'cfg', 'conf', 'cnf', 'cf', 'ini', 'properties', 'prop', 'hocon', 'toml', 'yaml', 'yml', 'xml',
  'json', 'js', 'py', 'py3', 'csv', 'tsv', 'md', 'rst', 'MLmodel', 'MLproject',
]);

const KNOWN: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  pdf: 'application/pdf',
  zip: 'application/zip',
  tar: 'application/x-tar',
  wav: 'audio/x-wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

export function guessMimeType(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  // Python's os.path.splitext: a leading dot is not an extension; no extension → the whole name is compared.
  const ext = dot > 0 ? fileName.slice(dot + 1) : fileName;
  if (TEXT_EXTENSIONS.has(ext) || TEXT_EXTENSIONS.has(ext.toLowerCase())) return 'text/plain';
  return KNOWN[ext.toLowerCase()] ?? 'application/octet-stream';
}

/**
 * `Content-Disposition: attachment` naming the file. MLflow sends `attachment; filename=<name>` unquoted; that breaks
 * on spaces, quotes and non-ASCII names (which Node refuses in a header), so the name is quoted with an ASCII
 * fallback and, when needed, the exact name in RFC 5987 form (`filename*=UTF-8''…`).
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\]/gu, '_');
  const base = `attachment; filename="${ascii}"`;
  if (ascii === fileName) return base;
  const encoded = encodeURIComponent(fileName).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${base}; filename*=UTF-8''${encoded}`;
}
