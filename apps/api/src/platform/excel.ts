import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';

/*
 * exceljs 4.4's streaming reader turns each chunk of a worksheet's XML into text on its own
 * (lib/utils/parse-sax.js), so a Chinese character whose UTF-8 bytes straddle two chunks becomes
 * "�" — a roster row named "商丘市宁陵县" arrives as "���丘市宁陵县". Until exceljs fixes it, its
 * parser module is replaced, before exceljs loads it, by one that decodes across chunks.
 * Everything in the project takes ExcelJS from here, never from 'exceljs' directly.
 */
const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
const parseSaxPath = requireFromExceljs.resolve('./lib/utils/parse-sax.js');
const { SaxesParser } = requireFromExceljs('saxes') as {
  SaxesParser: new () => {
    on(event: string, handler: (value: unknown) => void): void;
    write(text: string): void;
  };
};

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

async function* parseSax(iterable: AsyncIterable<Buffer | string>): AsyncGenerator<SaxEvent[]> {
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let error: unknown;
  let events: SaxEvent[] = [];
  parser.on('error', (e) => (error = e));
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  const feed = (text: string) => {
    parser.write(text);
    if (error) throw error;
    const batch = events;
    events = [];
    return batch;
  };
  for await (const chunk of iterable) {
    yield feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  }
  const rest = decoder.end();
  if (rest) yield feed(rest);
}

const cache = createRequire(import.meta.url).cache;
cache[parseSaxPath] = {
  id: parseSaxPath,
  filename: parseSaxPath,
  loaded: true,
  exports: parseSax,
} as unknown as NodeJS.Module;

const { default: ExcelJS } = await import('exceljs');
export default ExcelJS;
