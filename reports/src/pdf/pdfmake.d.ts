/**
 * The part of pdfmake 0.3's Node API the summary uses. Not @types/pdfmake: it pulls the DOM lib
 * into the whole program (`/// <reference lib="dom" />`), which retypes Node's web streams for
 * every other module.
 */
declare module 'pdfmake' {
  /** A document node: text, stack, columns, table, svg, ul... (see pdfmake's docs). */
  export type Content = string | Content[] | { [key: string]: unknown };
  export type TableCell = Content;
  export interface TDocumentDefinitions {
    content: Content;
    [key: string]: unknown;
  }
  interface CreatedPdf {
    getBuffer(): Promise<Buffer>;
  }
  interface PdfMake {
    setFonts(
      fonts: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }>,
    ): void;
    setUrlAccessPolicy(callback: (url: string) => boolean): void;
    setLocalAccessPolicy(callback: (path: string) => boolean): void;
    createPdf(definition: TDocumentDefinitions): CreatedPdf;
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
