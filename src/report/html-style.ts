/** The report's one stylesheet, inline in every file (no external CSS: the Content-Security-Policy allows none). */
export const CSS = `
:root{--ink:#1c2430;--muted:#5b6675;--line:#d9dee5;--soft:#f4f6f9;--accent:#0b6e4f;--warn:#9a3412;--warnbg:#fff7ed;--slo:#c2410c}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
header.top{padding:28px 40px 18px;border-bottom:3px solid var(--accent);background:var(--soft)}
.brand{margin:0;font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--accent);font-weight:700}
h1{margin:4px 0 6px;font-size:26px;line-height:1.25}
main{max-width:1180px;margin:0 auto;padding:8px 40px 48px}
h2{font-size:21px;margin:34px 0 4px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:17px;margin:28px 0 8px}
h4,h5,h6{font-size:15px;margin:22px 0 6px}
.meta{color:var(--muted);margin:4px 0}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 3px;border-radius:3px}
.verdict{margin:14px 0;padding:12px 16px;border-left:4px solid var(--accent);background:#eef7f3}
.verdict-label{display:inline-block;margin-right:6px;padding:1px 8px;border-radius:10px;background:var(--accent);color:#fff;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.05em}
.warn{margin:14px 0;padding:10px 16px;border-left:4px solid var(--warn);background:var(--warnbg);color:#431407}
.warn p{margin:0 0 4px}.warn ul{margin:0;padding-left:20px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:8px 0 6px;font-size:13.5px}
caption{caption-side:top;text-align:left;color:var(--muted);font-size:13px;padding:0 0 6px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top;text-align:left}
thead th{background:var(--soft);font-size:11.5px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);border-bottom:2px solid var(--line);white-space:nowrap}
tbody th{font-weight:600}
tbody tr:nth-child(even){background:#fafbfc}
.nowrap{white-space:nowrap}
abbr{text-decoration:none}
th.option{min-width:12em}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.compact{font-size:13px}
table.compact th,table.compact td{padding:4px 8px}
.id{display:block;font-weight:400;font-size:12px;color:var(--muted)}
.flag{display:block;font-weight:400;font-size:12px;color:var(--warn)}
.band{display:block;font-size:11px;color:var(--muted)}
.source{font-size:12px;color:var(--muted);word-break:break-word}
.note{font-size:13px;color:var(--muted)}
ul.why{margin:0;padding-left:16px}
ul.notes{padding-left:20px}
ul.notes li{margin:3px 0}
figure.chart-figure{margin:8px 0 10px;padding:12px;border:1px solid var(--line);border-radius:6px}
figcaption{font-size:13px;color:var(--muted);margin-top:6px}
svg.chart{display:block;width:100%;height:auto;max-width:900px;margin:0 auto;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg .plot{fill:#fff;stroke:#9aa5b1}
svg .grid{stroke:#e6e9ee;stroke-width:1}
svg .tick{font-size:12px;fill:var(--muted)}
svg .axis-label{font-size:13px;fill:var(--ink)}
svg .pt{fill:#9aa5b1;fill-opacity:.75;stroke:#fff;stroke-width:.8}
svg .pt.front{fill:var(--accent);fill-opacity:1;stroke:#fff;stroke-width:1.5}
svg .front-line{fill:none;stroke:var(--accent);stroke-width:1.6;stroke-opacity:.55}
svg .band{stroke:var(--accent);stroke-opacity:.35;stroke-width:3}
svg .rank{font-size:12px;font-weight:700;fill:var(--accent)}
svg .slo{stroke:var(--slo);stroke-width:1.5;stroke-dasharray:6 4}
svg .slo-label{font-size:12px;fill:var(--slo);font-weight:600}
svg .series{fill:none;stroke-width:2.2}
svg .crossover{fill:none;stroke:var(--ink);stroke-width:1.5}
svg .series-key{font-size:12px;font-weight:700}
.key{display:inline-block;width:10px;height:10px;border-radius:50%;vertical-align:middle;margin:0 2px 0 6px}
.key-front{background:var(--accent)}.key-other{background:#9aa5b1}.key-slo{width:16px;height:0;border-radius:0;border-top:2px dashed var(--slo)}
.swatch{display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle;border-radius:2px}
.s0{stroke:#1f77b4;fill:#1f77b4;background:#1f77b4}.s1{stroke:#d62728;fill:#d62728;background:#d62728}.s2{stroke:#2ca02c;fill:#2ca02c;background:#2ca02c}.s3{stroke:#9467bd;fill:#9467bd;background:#9467bd}
.s4{stroke:#e07b00;fill:#e07b00;background:#e07b00}.s5{stroke:#17a2b8;fill:#17a2b8;background:#17a2b8}.s6{stroke:#8c564b;fill:#8c564b;background:#8c564b}.s7{stroke:#d63384;fill:#d63384;background:#d63384}
svg polyline.series{fill:none}
nav .toc-h{border:0;font-size:15px;margin-top:20px}
ol.toc{columns:2;padding-left:20px}
.stage{margin-left:12px;padding-left:14px;border-left:2px solid var(--line)}
@media (max-width:700px){main,header.top{padding-left:14px;padding-right:14px}ol.toc{columns:1}}
@media print{
  @page{margin:14mm 12mm}
  body{font-size:11pt;color:#000}
  header.top{background:none;padding:0 0 8px}
  main{max-width:none;padding:0}
  nav{display:none}
  .scroll{overflow:visible}
  table{font-size:9.5pt}
  thead{display:table-header-group}
  tr,figure,.verdict,.warn{break-inside:avoid}
  h2,h3{break-after:avoid}
  section.profile+section.profile{break-before:page}
  svg.chart{max-width:100%}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`.trim();
