// A CSV's first rows, read in the browser before anything is sent: the header, the column types (number or text) and
// the column the server would take as the target (the last unless one is picked). The server checks the whole file
// again on save; this is only a look.

/** Rows of fields from CSV text (RFC 4180 quotes; "" inside quotes is a quote), at most maxRows + 1 (the header). */
export function parseCsv(text, maxRows = 10) {
  const rows = [];
  let row = [], field = '', quoted = false, i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  for (; i < text.length && rows.length <= maxRows; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (rows.length <= maxRows && (field !== '' || row.length)) { row.push(field); rows.push(row); }
  const [header = [], ...data] = rows;
  return { header, rows: data };
}

const isNumber = (s) => s.trim() !== '' && Number.isFinite(Number(s));

/** 'number' when every shown value of the column reads as a number, else 'text'. */
export function columnTypes({ header, rows }) {
  return header.map((_, c) => (rows.length && rows.every((r) => isNumber(r[c] ?? '')) ? 'number' : 'text'));
}

/** What the server will make of a target column, judged on the shown rows (it decides on the whole file): text labels
 *  or a few integers are classes, other numbers a regression target. */
export function targetKind({ rows }, column) {
  const values = rows.map((r) => r[column] ?? '');
  if (!values.every(isNumber)) return 'classes (text labels)';
  return values.every((v) => Number.isInteger(Number(v))) ? 'classes (integer labels), or regression if many values' : 'regression';
}
