// Typesets a paiban Markdown book with Typst, as the peer paiban's speed is
// measured against: node bench-typst.mjs BOOK.md OUT.pdf FONTS_DIR
//
// The Markdown is converted with the same page size, fonts and features as
// paiban's a4-handout style (headings, footnotes at the foot of the page,
// emphasis, a table of contents), so both tools do comparable work. The
// compiler comes from the npm package @myriaddreamin/typst-ts-node-compiler,
// found through NODE_PATH.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const [src, out, fontsDir] = process.argv.slice(2);
if (!src || !out || !fontsDir) {
  console.error("usage: node bench-typst.mjs BOOK.md OUT.pdf FONTS_DIR");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { NodeCompiler } = require("@myriaddreamin/typst-ts-node-compiler");

let md = readFileSync(src, "utf8");
let title = "";
const fm = md.match(/^---\n([\s\S]*?)\n---\n/);
if (fm) {
  const t = fm[1].match(/^title:\s*(.*)$/m);
  if (t) title = t[1].trim();
  md = md.slice(fm[0].length);
}

// Footnote definitions are single lines "[^id]: text".
const notes = new Map();
const lines = [];
for (const line of md.split("\n")) {
  const def = line.match(/^\[\^([^\]]+)\]:\s*(.*)$/);
  if (def) notes.set(def[1], def[2]);
  else lines.push(line);
}

const escape = (s) => s.replace(/[\\#$@<>_*`\[\]~=\/+-]/g, (c) => "\\" + c);
function inline(s) {
  let r = "";
  const re = /\[\^([^\]]+)\]|\*\*(.+?)\*\*|\*(.+?)\*/g;
  let last = 0;
  for (let m; (m = re.exec(s)); last = re.lastIndex) {
    r += escape(s.slice(last, m.index));
    if (m[1] !== undefined) r += "#footnote[" + inline(notes.get(m[1]) ?? "") + "]";
    else if (m[2] !== undefined) r += "#strong[" + escape(m[2]) + "]";
    else r += "#emph[" + escape(m[3]) + "]";
  }
  return r + escape(s.slice(last));
}

let typ = `#set page(paper: "a4", margin: (x: 2.5cm, y: 2.5cm), numbering: "1")
#set text(font: ("Source Serif 4", "Noto Serif SC"), size: 10.5pt, lang: "zh", region: "cn")
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 0.9em)
#show heading: set text(font: ("Source Serif 4", "Noto Sans SC"), weight: "bold")
#show emph: it => it.body
#align(center, text(font: "Noto Sans SC", weight: "bold", size: 18pt)[${escape(title)}])
#outline()
`;
for (const line of lines) {
  const h = line.match(/^(#{1,6})\s+(.*)$/);
  if (h) typ += "=".repeat(Math.max(1, h[1].length - 1)) + " " + inline(h[2]) + "\n";
  else typ += inline(line) + "\n";
}

const compiler = NodeCompiler.create({ fontArgs: [{ fontPaths: [fontsDir] }] });
const doc = compiler.compile({ mainFileContent: typ });
const diags = doc.takeDiagnostics?.();
if (!doc.result) {
  console.error("typst failed:", JSON.stringify(diags ?? doc, null, 1).slice(0, 2000));
  process.exit(1);
}
writeFileSync(out, compiler.pdf(doc.result));
