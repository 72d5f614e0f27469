// The report model written as one self-contained HTML page: inline CSS, a small inline script
// (zoom into a span, show an event's place on the timeline), nothing fetched. Pure: model in,
// string out. Every text goes through escapeHtml (control characters, then markup), so an
// interface name or password from a capture cannot inject anything.
//
// Contract for tools and tests: every span is an element with data-kind ("master", "no-master",
// "split-brain"; "flapping" for spans merged to stay small), data-vrid, data-family, data-start
// and data-end (ISO 8601 UTC, microseconds); master spans carry data-router; split-brain spans
// data-router (the elected master when it started) and data-routers (every router claiming the
// role, joined by commas); flapping spans data-routers.

import { escapeHtml as h } from '../format/escape.js';
import type { LaneView, SpanView } from './lanes.js';
import type { EventRow, ReportModel, VridSection } from './model.js';

const LEGEND_MAX = 12;
const MARK_GLYPH: Readonly<Record<string, string>> = { 'master-change': '▼', 'priority-change': '◆', release: '✕', 'master-down': '▲' };
const MARK_NAME: Readonly<Record<string, string>> = { 'master-change': 'failover', 'priority-change': 'priority change', release: 'release (priority 0)', 'master-down': 'master down' };

const CSS = `
:root{--bg:#fff;--fg:#1b1f24;--mute:#5b6470;--line:#d5d9de;--split:#d7191c;--nomaster:#9aa3ad;--lab:170px}
*{box-sizing:border-box}
body{margin:0;padding:16px 24px;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:20px;margin:0 0 6px}h1 .file{font-weight:400;color:var(--mute)}
h2{font-size:16px;margin:18px 0 6px}h3{font-size:15px;margin:18px 0 4px}
.verdict{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600;margin:2px 0 8px}
.st-OK{background:#e3f4e8;color:#14532d}.st-WARNING{background:#fff4d6;color:#7a4b00}.st-CRITICAL{background:#fde2e1;color:#8f1111}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 6px}.facts dt{color:var(--mute)}.facts dd{margin:0}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;align-items:center;padding:8px 0;border-top:1px solid var(--line);border-bottom:1px solid var(--line);margin:8px 0}
.sw{display:inline-block;width:22px;height:12px;vertical-align:-1px;margin-right:5px;border-radius:2px}
.toolbar{margin:8px 0;color:var(--mute);font-size:13px}.toolbar button{font:inherit;padding:1px 9px;margin-right:4px;cursor:pointer}
.tl{display:grid;grid-template-columns:var(--lab) 1fr;border:1px solid var(--line);border-radius:4px}
.labels{border-right:1px solid var(--line);background:#f6f7f9}
.axis-l,.axis{height:34px;border-bottom:1px solid var(--line)}
.axis-l{font-size:11px;color:var(--mute);padding:3px 8px}
.lane-l,.lane{height:62px;border-bottom:1px solid #eceff2}
.lane-l{padding:8px;font-weight:600}.lane-l a{color:inherit;text-decoration:none}.lane-l small{display:block;font-weight:400;color:var(--mute);font-size:11px}
.scroll{overflow-x:auto;overflow-y:hidden}
.inner{position:relative;width:100%;min-width:100%}
.axis,.lane{margin:0 64px 0 8px}
.axis{position:relative}
.tick{position:absolute;top:0;height:100%;border-left:1px solid var(--line);padding-left:3px;font-size:11px;white-space:nowrap}
.tick b{display:block;font-weight:600}.tick i{display:block;font-style:normal;color:var(--mute)}
.lane{position:relative}
.track{position:absolute;left:0;right:0;top:14px;height:24px;background:repeating-linear-gradient(90deg,transparent 0 39px,#f3f4f6 39px 40px)}
.track>[data-kind],.track>.mk,.track>.ga,.track>.cursor{position:absolute}
[data-kind]{top:0;height:24px;min-width:2px;overflow:hidden;white-space:nowrap;font-size:11px;line-height:24px;padding-left:4px;color:#fff;cursor:zoom-in}
[data-kind=master]{border-right:1px solid #fff}
[data-kind=no-master]{min-width:3px;background:repeating-linear-gradient(135deg,#c9ced4 0 4px,#eef0f2 4px 8px);border:1px solid var(--nomaster)}
[data-kind=flapping]{background:repeating-linear-gradient(90deg,#555 0 2px,#bbb 2px 4px)}
[data-kind=split-brain]{min-width:3px;top:-6px;height:36px;border:2px solid var(--split);background:repeating-linear-gradient(135deg,rgba(215,25,28,.85) 0 6px,rgba(215,25,28,.25) 6px 12px);color:#fff;font-weight:700;text-shadow:0 0 2px #000;line-height:32px;z-index:2}
.c0{background:#0072b2}.c1{background:#009e73}.c2{background:#e69f00;color:#111}.c3{background:#56b4e9;color:#111}.c4{background:#cc79a7}.c5{background:#4d4d9f}.c6{background:#8c6d1f}.c7{background:#2f7f5f}
.mk{top:-14px;transform:translateX(-50%);font-size:11px;line-height:12px;color:#222;text-decoration:none;z-index:3}
.mk.master-down{color:var(--split)}
.ga{top:27px;width:2px;height:8px;margin-left:-1px;background:#6a3d9a}
.cursor{top:-14px;height:62px;width:0;border-left:2px dashed #111;display:none;z-index:4}
.notes{position:absolute;left:0;right:0;top:46px;height:14px}
.note{position:absolute;font-size:11px;line-height:14px;white-space:nowrap;color:#333;padding-left:2px;border-left:1px solid var(--nomaster)}
.lanenote{position:absolute;right:12px;top:0;font-size:10px;color:var(--mute)}
table{border-collapse:collapse;margin:4px 0 8px;font-size:13px}
th,td{text-align:left;padding:3px 10px 3px 0;border-bottom:1px solid #eceff2;vertical-align:top}th{color:var(--mute);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.ev td:first-child,.ev td.num{white-space:nowrap;font-variant-numeric:tabular-nums}
.sev-critical td.sev{color:#b00}.sev-warning td.sev{color:#8a5a00}.sev-info td.sev{color:var(--mute)}
tr:target{background:#fff3b0}
.status{font-weight:400;color:var(--mute)}
.more,.notes-list{color:var(--mute);font-size:13px}
footer{margin-top:24px;color:var(--mute);font-size:12px}
@page{size:landscape;margin:10mm}
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}body{padding:0}.toolbar{display:none}.scroll{overflow:visible}.inner{width:100%!important}.tl,.vrid{break-inside:avoid}}
`;

// Zoom: a click on a span widens the timeline so that the span fills about half of it; the
// buttons zoom in, out and back to the whole capture. A click on an event's time shows where it
// falls on its lane.
const SCRIPT = `
(function(){
var z=1;
function setZoom(n){z=Math.max(1,Math.min(4096,n));document.querySelectorAll('.inner').forEach(function(e){e.style.width=(z*100)+'%'});document.getElementById('zoom').textContent=z<10?z.toFixed(1)+'x':Math.round(z)+'x'}
function scrollTo(sc,pct,frac){var w=sc.querySelector('.inner').offsetWidth;sc.scrollLeft=w*pct/100-sc.clientWidth*frac}
document.addEventListener('click',function(ev){
var b=ev.target.closest('button[data-z]');
if(b){var sc=document.querySelectorAll('.scroll'),c=[];sc.forEach(function(s){c.push((s.scrollLeft+s.clientWidth/2)/s.querySelector('.inner').offsetWidth*100)});
setZoom(b.dataset.z==='fit'?1:b.dataset.z==='+'?z*2:z/2);sc.forEach(function(s,i){scrollTo(s,c[i],0.5)});return}
var a=ev.target.closest('a.at');
if(a){var lane=document.getElementById('lane-'+a.dataset.lane);if(lane){var cur=lane.querySelector('.cursor');cur.style.left=a.dataset.at;cur.style.display='block';var sc=lane.closest('.scroll');scrollTo(sc,parseFloat(a.dataset.at),0.5)}return}
var s=ev.target.closest('.track>[data-kind]');
if(s){var l=parseFloat(s.style.left),w=Math.max(parseFloat(s.style.width),0.0005);setZoom(50/w);scrollTo(s.closest('.scroll'),l,0.25)}
});
})();
`;

function attrs(span: SpanView, lane: LaneView): string {
  const router = span.router !== null ? ` data-router="${h(span.router)}"` : '';
  const who = span.routers.length > 0 ? `${router} data-routers="${h(span.routers.join(','))}"` : router;
  return `data-kind="${span.kind}" data-vrid="${lane.vrid}" data-family="${lane.family}"${who} data-start="${span.start}" data-end="${span.end}"`;
}

function spanHtml(span: SpanView, lane: LaneView): string {
  const cls = span.kind === 'master' ? ` class="c${span.colour}"` : '';
  return `<div${cls} ${attrs(span, lane)} style="left:${span.left};width:${span.width}" title="${h(span.title)}">${h(span.label)}</div>`;
}

function laneHtml(l: LaneView): string {
  const parts: string[] = [`<div class="lane" id="lane-${l.id}"><div class="track">`];
  for (const s of l.spans) parts.push(spanHtml(s, l));
  for (const s of l.splits) parts.push(spanHtml(s, l));
  for (const m of l.marks) {
    const href = m.eventId === null ? '' : ` href="#${m.eventId}"`;
    parts.push(`<a class="mk ${m.type}"${href} style="left:${m.left}" title="${h(m.title)}">${MARK_GLYPH[m.type]}</a>`);
  }
  for (const b of l.bursts) parts.push(`<div class="ga" style="left:${b.left}" title="${h(b.title)}"></div>`);
  parts.push('<div class="cursor"></div></div><div class="notes">');
  for (const n of l.notes) parts.push(`<span class="note" style="left:${n.left}">${h(n.text)}</span>`);
  parts.push('</div>');
  if (l.dropped !== '') parts.push(`<span class="lanenote">${h(l.dropped)}</span>`);
  parts.push('</div>');
  return parts.join('');
}

function timelineHtml(m: ReportModel): string {
  const out: string[] = [];
  const axis = m.ticks.map((t) => `<div class="tick" style="left:${t.percent.toFixed(4)}%"><b>${h(t.offset)}</b><i>${h(t.clock)}</i></div>`).join('');
  for (const seg of m.segments) {
    out.push(`<section class="seg"><h2>${h(seg.title)}</h2><div class="tl"><div class="labels"><div class="axis-l">offset from start<br>UTC time of day</div>`);
    for (const l of seg.lanes) out.push(`<div class="lane-l"><a href="#sec-${l.id}">${h(l.label)}</a><small>${h(l.segment.interface ?? '')}</small></div>`);
    out.push(`</div><div class="scroll"><div class="inner"><div class="axis">${axis}</div>`);
    for (const l of seg.lanes) out.push(laneHtml(l));
    out.push('</div></div></div></section>');
  }
  if (m.segments.length === 0) out.push('<p class="more">No VRRP advert in this capture: nothing to draw.</p>');
  return out.join('\n');
}

function eventRows(rows: readonly EventRow[]): string {
  return rows
    .map((e) => {
      const at = e.lane === null ? h(e.offset) : `<a class="at" href="#lane-${e.lane}" data-lane="${e.lane}" data-at="${e.at}">${h(e.offset)}</a>`;
      return `<tr id="${e.id}" class="sev-${e.severity}"><td>${h(e.time)}</td><td class="num">${at}</td><td class="sev">${e.severity}</td><td>${h(e.message)}</td></tr>`;
    })
    .join('\n');
}

function sectionHtml(s: VridSection): string {
  const routers = s.routers
    .map((r) => `<tr><td><span class="sw c${r.colour}"></span>${h(r.address)}${r.master ? ' <b>(master)</b>' : ''}</td><td>${h(r.mac)}</td><td class="num">${h(r.priority)}</td>` +
      `<td class="num">${h(r.advertised)}</td><td class="num">${h(r.measured)}</td><td class="num">${h(r.packets)}</td><td>${h(r.auth)}</td><td>${h(r.vips)}</td><td>${h(r.firstSeen)}</td><td>${h(r.lastSeen)}</td></tr>`)
    .join('\n');
  const events = s.events.length === 0 ? '<p class="more">No events.</p>'
    : `<table class="ev"><thead><tr><th>Time (UTC)</th><th>Offset</th><th>Severity</th><th>Event</th></tr></thead><tbody>${eventRows(s.events)}</tbody></table>`;
  const more = s.moreEvents > 0 ? `<p class="more">${s.moreEvents} more events not listed; vrrpwatch analyze --json has them all.</p>` : '';
  return `<section class="vrid" id="sec-${s.id}"><h3>${h(s.title)} <span class="status">: ${h(s.status)}; master ${h(s.master)}${s.lane === null ? '' : ` · <a href="#lane-${s.lane}">timeline</a>`}</span></h3>` +
    `<table><thead><tr><th>Router</th><th>MAC</th><th>Priority</th><th>Advertised</th><th>Measured min / mean / max</th><th>Packets</th><th>Auth</th><th>VIPs</th><th>First seen (UTC)</th><th>Last seen (UTC)</th></tr></thead><tbody>${routers}</tbody></table>` +
    `${events}${more}</section>`;
}

function legendHtml(m: ReportModel): string {
  // A fleet's legend would fill the screen: past LEGEND_MAX, the spans' own labels name them.
  const routers = m.legend.slice(0, LEGEND_MAX).map((r) => `<span><span class="sw c${r.colour}"></span>${h(r.router)} master</span>`);
  if (m.legend.length > LEGEND_MAX) routers.push(`<span>and ${m.legend.length - LEGEND_MAX} more routers: each span is labelled with its router, and a lane's routers always differ in colour</span>`);
  const kinds = [
    '<span><span class="sw" style="background:repeating-linear-gradient(135deg,rgba(215,25,28,.85) 0 4px,rgba(215,25,28,.25) 4px 8px);border:2px solid var(--split)"></span>split brain</span>',
    '<span><span class="sw" style="background:repeating-linear-gradient(135deg,#c9ced4 0 3px,#eef0f2 3px 6px);border:1px solid var(--nomaster)"></span>no master</span>',
    '<span><span class="sw" style="background:repeating-linear-gradient(90deg,#555 0 2px,#bbb 2px 4px)"></span>flapping (merged)</span>',
    ...Object.entries(MARK_GLYPH).map(([k, g]) => `<span>${g} ${MARK_NAME[k]}</span>`),
    '<span><span class="sw" style="width:3px;background:#6a3d9a"></span>gratuitous ARP/NA burst</span>',
  ];
  return `<nav class="legend">${[...routers, ...kinds].join('')}</nav>`;
}

export function renderHtml(m: ReportModel, version: string): string {
  const facts = m.facts.map((f) => `<dt>${h(f.label)}</dt><dd>${h(f.value)}</dd>`).join('');
  const other = m.otherEvents.length === 0 ? ''
    : `<section class="vrid"><h3>Packets of no virtual router</h3><table class="ev"><tbody>${eventRows(m.otherEvents)}</tbody></table></section>`;
  const notes = m.notes.length === 0 ? '' : `<ul class="notes-list">${m.notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(m.title)}</title><style>${CSS}</style></head>
<body>
<header><h1>VRRP report <span class="file">${h(m.file)}</span></h1>
<div class="verdict st-${m.verdictState}">${h(m.verdictLine)}</div>
<dl class="facts">${facts}<dt>Worst condition</dt><dd>${h(m.worst)}</dd></dl></header>
${legendHtml(m)}
<div class="toolbar">Zoom <span id="zoom">1.0x</span>: <button data-z="-">−</button><button data-z="+">+</button><button data-z="fit">whole capture</button> or click a span to zoom into it; click an event's offset to see it on its lane. Times are UTC.</div>
${timelineHtml(m)}
${notes}
<h2>Virtual routers</h2>
${m.sections.map(sectionHtml).join('\n')}
${other}
<footer>Made by vrrpwatch ${h(version)} from the packets alone. Span times are the analyzer's: a master span runs from the router's first advert as master to its last; a no-master span from there to the next master's first advert; a split brain from its start to its last evidence.</footer>
<script>${SCRIPT}</script>
</body></html>
`;
}
