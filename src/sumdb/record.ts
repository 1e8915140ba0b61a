// Records as the checksum database serves them: "<id>\n<text>\n" where the text is the go.sum
// lines of one module version, ending in a newline, with no blank line inside. A lookup answer
// is a formatted record followed by the signed tree note; a data tile is formatted records
// one after another.

export class MalformedRecordError extends Error {
  override name = 'MalformedRecordError';
}

/** Go's rule: non-empty, ends in a newline, no blank line, no control character but newline. */
export function isValidRecordText(text: string): boolean {
  return (
    text.endsWith('\n') && !text.includes('\n\n') && text.isWellFormed() && !/[\x00-\x09\x0b-\x1f]/.test(text)
  );
}

export function formatRecord(id: number, text: string): string {
  if (!Number.isSafeInteger(id) || id < 0) throw new MalformedRecordError(`bad record id ${id}`);
  if (!isValidRecordText(text)) {
    throw new MalformedRecordError('record text must be lines ending in a newline, without a blank line');
  }
  return `${id}\n${text}\n`;
}

/** Parses a record at the start of `msg`; `rest` is what follows its terminating blank line. */
export function parseRecord(msg: string): { id: number; text: string; rest: string } {
  const idEnd = msg.indexOf('\n');
  const idText = idEnd < 0 ? msg : msg.slice(0, idEnd);
  if (idEnd < 0 || !/^(0|[1-9][0-9]*)$/.test(idText) || !Number.isSafeInteger(Number(idText))) {
    throw new MalformedRecordError(`malformed record: bad record id ${JSON.stringify(idText.slice(0, 40))}`);
  }
  const body = msg.slice(idEnd + 1);
  const end = body.indexOf('\n\n');
  if (end < 0) throw new MalformedRecordError('malformed record: no blank line ends the record');
  const text = body.slice(0, end + 1);
  if (!isValidRecordText(text)) {
    throw new MalformedRecordError('malformed record: the record text holds control characters');
  }
  return { id: Number(idText), text, rest: body.slice(end + 2) };
}
