/** Filled in by vite.config.ts `define`: the package version, shown in settings. */
declare const __HEROES_VERSION__: string

declare module 'zxing-wasm/reader/zxing_reader.wasm?url' {
  const url: string
  export default url
}
