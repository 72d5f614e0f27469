// The terminal UI: one blessed box the size of the screen, painted with the lines the view model
// returns, and keys passed back to it. The only file that uses blessed's widgets; everything
// the screen says is decided in view/.
import blessed from 'blessed';
import type { Readable, Writable } from 'node:stream';
import { RedrawThrottle } from './view/throttle.js';
import type { Effect, Line, Snapshot, ViewModel } from './view/model.js';
import type { Style } from './view/lines.js';

export interface AppOptions {
  view: ViewModel;
  /** The watch now: called before each redraw. */
  snapshot: () => Snapshot;
  /** Wall time in ms, for the redraw throttle. */
  nowMs: () => number;
  /** What the view cannot do itself: quit, save, pause or resume a replay. */
  onEffect: (effect: Exclude<Effect, null>) => void;
  input?: Readable;
  output?: Writable;
  /** terminfo name; see usableTerminal(). */
  terminal?: string;
  /** Colours (off with NO_COLOR): bold and reverse video stay. */
  color?: boolean;
}

const COLOR_TAGS: Readonly<Record<Style, [string, string]>> = {
  ok: ['{green-fg}', '{/green-fg}'],
  warning: ['{yellow-fg}', '{/yellow-fg}'],
  critical: ['{red-fg}{bold}', '{/bold}{/red-fg}'],
  title: ['{bold}', '{/bold}'],
  section: ['{cyan-fg}{bold}', '{/bold}{/cyan-fg}'],
  heading: ['{bold}', '{/bold}'],
  dim: ['{gray-fg}', '{/gray-fg}'],
  key: ['{bold}', '{/bold}'],
};

const MONO_TAGS: Readonly<Record<Style, [string, string]>> = {
  ok: ['', ''],
  warning: ['{bold}', '{/bold}'],
  critical: ['{bold}', '{/bold}'],
  title: ['{bold}', '{/bold}'],
  section: ['{bold}', '{/bold}'],
  heading: ['{bold}', '{/bold}'],
  dim: ['', ''],
  key: ['{bold}', '{/bold}'],
};

/** A line of spans as blessed tags; the text itself is escaped, so `{` in a password is literal. */
export function taggedLine(line: Line, color = true): string {
  const tags = color ? COLOR_TAGS : MONO_TAGS;
  let s = '';
  for (const span of line) {
    let text = blessed.escape(span.text);
    if (span.style !== undefined) {
      const [open, close] = tags[span.style];
      text = `${open}${text}${close}`;
    }
    s += span.inverse ? `{inverse}${text}{/inverse}` : text;
  }
  return s;
}

interface KeyInfo {
  name?: string;
  full?: string;
  ctrl?: boolean;
}

const NAMED = new Set(['up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'escape', 'backspace', 'enter', 'space', 'tab', 'f1', 'delete']);

/** blessed's key as the view names it: 'up', 'enter', 'C-c', or the character typed. */
export function keyName(ch: string | undefined, key: KeyInfo | undefined): string | null {
  const name = key?.name;
  // blessed reports Enter twice, as 'enter' and then 'return'.
  if (name === 'return') return null;
  if (name === 'linefeed') return 'enter';
  if (key?.ctrl && name !== undefined) return `C-${name}`;
  if (name !== undefined && NAMED.has(name)) return name;
  if (ch !== undefined && ch.length === 1 && ch >= ' ') return ch;
  return null;
}

export class App {
  readonly screen: blessed.Widgets.Screen;
  private readonly box: blessed.Widgets.BoxElement;
  private readonly throttle = new RedrawThrottle();
  private destroyed = false;
  private readonly color: boolean;

  constructor(private readonly opts: AppOptions) {
    this.color = opts.color ?? true;
    this.screen = blessed.screen({
      // @types/blessed has input and output the wrong way round.
      input: opts.input as unknown as Writable,
      output: opts.output as unknown as Readable,
      terminal: opts.terminal,
      smartCSR: true,
      fullUnicode: true,
      warnings: false,
      title: 'vrrpwatch',
    });
    this.box = blessed.box({ parent: this.screen, top: 0, left: 0, width: '100%', height: '100%', tags: true, wrap: false });
    this.screen.on('keypress', (ch: string | undefined, key: KeyInfo | undefined) => this.onKey(ch, key));
    this.screen.on('resize', () => this.draw());
    this.draw();
  }

  private onKey(ch: string | undefined, key: KeyInfo | undefined): void {
    if (this.destroyed) return;
    const k = keyName(ch, key);
    if (k === null) return;
    const effect = this.opts.view.key(k);
    if (effect !== null) this.opts.onEffect(effect);
    if (this.destroyed) return;
    // Keys answer at once unless the screen was drawn less than an interval ago.
    this.throttle.invalidate();
    if (this.throttle.wait(this.opts.nowMs()) === 0) this.draw();
  }

  /** The data changed (a packet, an event): redraw at the next tick the throttle allows. */
  invalidate(): void {
    this.throttle.invalidate();
  }

  /** Called about every 100 ms: draws when something changed, or a second passed (ages). */
  tick(): void {
    if (!this.destroyed && this.throttle.wait(this.opts.nowMs()) === 0) this.draw();
  }

  draw(): void {
    if (this.destroyed) return;
    const view = this.opts.view;
    view.update(this.opts.snapshot());
    const width = Math.max(1, this.screen.width as number);
    const height = Math.max(1, this.screen.height as number);
    const lines = view.render(width, height);
    const all = [...lines.header, ...lines.body, lines.footer];
    this.box.setContent(all.map((l) => taggedLine(l, this.color)).join('\n'));
    this.screen.render();
    this.throttle.drawn(this.opts.nowMs());
  }

  /** Plain text of the screen as painted (tests). */
  text(): string[] {
    return (this.screen as unknown as { lines: [unknown, string][][] }).lines.map((row) => row.map((cell) => cell[1]).join(''));
  }

  /** Leaves the alternate screen, shows the cursor, gives the terminal back. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.screen.destroy();
  }
}
