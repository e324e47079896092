/** The panel's styles, scoped to its shadow root (the page's CSS neither leaks in nor out). */
export const styles = `
:host { all: initial; position: fixed; z-index: 2147483000; right: 12px; bottom: 12px;
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #e6e6e6; }
button, input, select, textarea { font: inherit; color: inherit; }
.toggle { display: flex; align-items: center; gap: 6px; margin-left: auto; padding: 4px 10px; border-radius: 999px;
  border: 1px solid #444; background: #1e1f24; cursor: pointer; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: #888; }
.dot[data-status="connected"] { background: #3fb950; }
.dot[data-status="connecting"], .dot[data-status="reconnecting"] { background: #d29922; }
.dot[data-status="failed"], .dot[data-status="offline"] { background: #f85149; }
.panel { width: min(720px, calc(100vw - 24px)); height: min(460px, calc(100vh - 64px)); margin-bottom: 8px;
  display: flex; flex-direction: column; background: #16171b; border: 1px solid #444; border-radius: 8px;
  box-shadow: 0 8px 30px rgba(0,0,0,.4); overflow: hidden; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; gap: 8px; padding: 6px 10px; border-bottom: 1px solid #333; }
header h2 { font-size: 12px; margin: 0; font-weight: 600; }
header .close { margin-left: auto; background: none; border: 0; cursor: pointer; font-size: 14px; }
nav { display: flex; gap: 2px; padding: 4px 6px 0; border-bottom: 1px solid #333; }
nav button { background: none; border: 0; padding: 4px 8px; cursor: pointer; border-bottom: 2px solid transparent; }
nav button[aria-selected="true"] { border-bottom-color: #58a6ff; color: #fff; }
section { flex: 1; overflow: auto; padding: 6px 10px; }
section[hidden] { display: none; }
.controls { display: flex; gap: 6px; margin-bottom: 6px; flex-wrap: wrap; }
input, select, textarea { background: #0d0e11; border: 1px solid #444; border-radius: 4px; padding: 2px 6px; }
textarea { width: 100%; box-sizing: border-box; min-height: 60px; }
ol { list-style: none; margin: 0; padding: 0; }
li { padding: 2px 0; border-bottom: 1px solid #24262c; word-break: break-all; }
.time { color: #888; margin-right: 6px; }
.in { color: #58a6ff; } .out { color: #d2a8ff; }
.error { color: #f85149; }
.muted { color: #888; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 2px 4px; border-bottom: 1px solid #24262c; vertical-align: top; word-break: break-all; }
label { display: flex; flex-direction: column; gap: 2px; margin-bottom: 6px; }
label.inline { flex-direction: row; align-items: center; }
`
