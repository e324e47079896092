// Installs a jsdom window as the globals React DOM needs. pretendToBeVisual: requestAnimationFrame
// runs at 60 Hz, as in a browser. Import it before react-dom.
// jsdom ships no types and @types/jsdom is not installed: describe the little used here
interface Dom {
  window: Window & typeof globalThis
}
const jsdomName = 'jsdom'
const { JSDOM } = (await import(jsdomName)) as { JSDOM: new (html: string, options: { pretendToBeVisual: boolean }) => Dom }
/** The jsdom instance whose window is installed as the globals. */
export const dom = new JSDOM('<!doctype html><div id="root"></div>', { pretendToBeVisual: true })
const g = globalThis as Record<string, unknown>
const win = dom.window as unknown as Record<string, unknown>
const define = (key: string, value: unknown): void => {
  Object.defineProperty(g, key, { value, configurable: true, writable: true })
}
define('window', dom.window)
define('document', win.document)
define('requestAnimationFrame', (win.requestAnimationFrame as (cb: FrameRequestCallback) => number).bind(dom.window))
define('cancelAnimationFrame', (win.cancelAnimationFrame as (id: number) => void).bind(dom.window))
// only where Node has none of its own
for (const key of ['navigator', 'HTMLElement', 'Node']) if (!(key in g)) define(key, win[key])
// React warns about updates outside act() only when this is set; we want real scheduling
g.IS_REACT_ACT_ENVIRONMENT = false
