// The workbench's logic without the DOM or CodeMirror: positions, diagnostics, fixes,
// debouncing and the tokenizer of the rule language. Unit-tested with `node --test`.

/** Offset into `tekst` of a 1-based (line, column), clamped to the text. */
export function offsetVan(tekst, line, column) {
  const regels = tekst.split("\n");
  const l = Math.min(Math.max(line, 1), regels.length);
  let begin = 0;
  for (let i = 0; i < l - 1; i++) begin += regels[i].length + 1;
  return Math.min(begin + Math.max(column - 1, 0), begin + regels[l - 1].length);
}

/** End of the word (or quoted name) starting at `van`: what an error underlines. */
export function eindVanWoord(tekst, van) {
  if (tekst[van] === '"') {
    const eind = tekst.indexOf('"', van + 1);
    return eind > 0 && !tekst.slice(van, eind).includes("\n") ? eind + 1 : van + 1;
  }
  const m = /^[\p{L}\p{N}_.-]+/u.exec(tekst.slice(van));
  return m ? van + m[0].length : Math.min(van + 1, tekst.length);
}

/** Whether an error of the region names the file open in the editor. */
export function vanBestand(fout, pad) {
  return fout.bestand === pad || fout.bestand.endsWith("/" + pad);
}

/** The service's errors of the open file as CodeMirror diagnostics (plain objects); the
 *  errors of other files stay for the page's list. */
export function diagnostieken(tekst, fouten, pad) {
  return fouten.filter((f) => vanBestand(f, pad)).map((f) => {
    const from = offsetVan(tekst, f.line, f.column);
    const message = f.suggestie ? `${f.bericht} (${f.suggestie})` : f.bericht;
    return { from, to: Math.max(eindVanWoord(tekst, from), from), severity: "error", message,
             herstelling: f.herstelling || null };
  });
}

/** The text with a fix of the service applied ({van, tot, door}). */
export function pasToe(tekst, herstelling) {
  return tekst.slice(0, herstelling.van) + herstelling.door + tekst.slice(herstelling.tot);
}

/** A Dutch line for an error: where, what, and what to do. */
export function foutregel(fout) {
  const waar = `${fout.bestand}, regel ${fout.line}, kolom ${fout.column}`;
  return fout.suggestie ? `${waar}: ${fout.bericht} — ${fout.suggestie}` : `${waar}: ${fout.bericht}`;
}

/** `fn` called once `ms` after the last call; `.annuleer()` drops a pending call. */
export function vertraagd(fn, ms, klok = globalThis) {
  let wacht = null;
  const uit = (...args) => {
    if (wacht !== null) klok.clearTimeout(wacht);
    wacht = klok.setTimeout(() => { wacht = null; fn(...args); }, ms);
  };
  uit.annuleer = () => { if (wacht !== null) klok.clearTimeout(wacht); wacht = null; };
  return uit;
}

/** The tokenizer's table: every phrase of the vocabulary by its first word, longest first,
 *  with the kind it is highlighted as. */
export function woordtabel(woorden) {
  const soorten = [["trefwoorden", "keyword"], ["functies", "function"], ["eenheden", "unit"],
                   ["velden", "field"], ["parameters", "parameter"]];
  const tabel = new Map();
  for (const [lijst, soort] of soorten) {
    for (const frase of woorden[lijst] || []) {
      const eerste = frase.split(" ")[0].toLowerCase();
      if (!tabel.has(eerste)) tabel.set(eerste, []);
      tabel.get(eerste).push({ frase: frase.toLowerCase(), soort });
    }
  }
  for (const lijst of tabel.values()) lijst.sort((a, b) => b.frase.length - a.frase.length);
  return tabel;
}

const WOORD = /^[\p{L}\p{N}_-]+/u;

/** The next token of `rest` (the line from the current position): {soort, lengte}; soort is
 *  null for text that is not highlighted. */
export function volgendToken(rest, tabel) {
  if (/^\s/.test(rest)) return { soort: null, lengte: /^\s+/.exec(rest)[0].length };
  if (rest[0] === "#") return { soort: "comment", lengte: rest.length };
  if (rest[0] === '"') {
    const eind = rest.indexOf('"', 1);
    return { soort: "string", lengte: eind > 0 ? eind + 1 : rest.length };
  }
  const getal = /^\d{4}-\d{2}-\d{2}|^\d+(?:[.,]\d+)*/.exec(rest);
  if (getal) return { soort: "number", lengte: getal[0].length };
  const woord = WOORD.exec(rest);
  if (!woord) return { soort: null, lengte: 1 };
  const klein = rest.toLowerCase();
  for (const { frase, soort } of tabel.get(woord[0].toLowerCase()) || []) {
    const na = klein[frase.length];
    if (klein.startsWith(frase) && (na === undefined || !/[\p{L}\p{N}_]/u.test(na))) {
      return { soort, lengte: frase.length };
    }
  }
  return { soort: null, lengte: woord[0].length };
}

/** Every token of one line (for tests and the highlighter's checks). */
export function tokens(regel, tabel) {
  const uit = [];
  for (let i = 0; i < regel.length;) {
    const { soort, lengte } = volgendToken(regel.slice(i), tabel);
    if (soort) uit.push([soort, regel.slice(i, i + lengte)]);
    i += lengte;
  }
  return uit;
}

/** Completion options from the vocabulary: each known word with what it is. */
export function aanvullingen(woorden) {
  const soorten = [["trefwoorden", "keyword", "trefwoord"], ["functies", "function", "functie"],
                   ["velden", "property", "veld"], ["eenheden", "constant", "eenheid"],
                   ["parameters", "variable", "parameter"], ["regels", "text", "regel"]];
  const gezien = new Set();
  const uit = [];
  for (const [lijst, type, detail] of soorten) {
    for (const label of woorden[lijst] || []) {
      const sleutel = `${detail}:${label}`;
      if (gezien.has(sleutel)) continue;
      gezien.add(sleutel);
      uit.push({ label: lijst === "regels" ? `"${label}"` : label, type, detail });
    }
  }
  return uit;
}
