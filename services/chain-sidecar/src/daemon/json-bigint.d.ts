// json-bigint ships no types; the sidecar uses its parser factory alone.
declare module 'json-bigint' {
  interface Options {
    strict?: boolean;
    storeAsString?: boolean;
  }
  function JSONbig(options?: Options): { parse(text: string): unknown };
  export default JSONbig;
}
