// Unit tests of the workbench's own logic (node --test, run by `make test`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { aanvullingen, diagnostieken, eindVanWoord, foutregel, offsetVan, pasToe, tokens,
         vertraagd, woordtabel } from "../src/logica.js";

const TEKST = 'regel "x"\n  als de productcod is "1"\n';
const WOORDEN = {
  trefwoorden: ["als", "regel", "is", "wijzigt parameter", "in artikel", "afwijzen", "met retourcode"],
  functies: ["het aantal dagen van"], velden: ["productcode", "geleverd volume"],
  eenheden: ["dagen", "dag"], parameters: ["maximale afwezigheid"], regels: ["Declareren binnen drie maanden"],
};

test("offsetVan telt regels en kolommen vanaf 1, begrensd op de tekst", () => {
  assert.equal(offsetVan(TEKST, 1, 1), 0);
  assert.equal(TEKST.slice(offsetVan(TEKST, 2, 10)).slice(0, 10), "productcod");
  assert.equal(offsetVan(TEKST, 2, 999), TEKST.indexOf("\n", 10));
  assert.equal(offsetVan(TEKST, 99, 1), TEKST.length);
});

test("eindVanWoord: een woord, een naam tussen aanhalingstekens, of één teken", () => {
  assert.equal(eindVanWoord("als de productcod is", 7), 17);
  assert.equal(eindVanWoord('regel "Declareren binnen" x', 6), 25);
  assert.equal(eindVanWoord("a + b", 2), 3);
});

test("diagnostieken: alleen fouten van het open bestand, met suggestie en herstelling", () => {
  const fouten = [
    { bestand: "contract.regels", line: 2, column: 10, bericht: "onbekende naam 'productcod'",
      suggestie: "bedoelde u 'productcode'?", herstelling: { van: 19, tot: 29, door: "productcode" } },
    { bestand: "regels/artikelen/43.regels", line: 3, column: 1, bericht: "elders" },
  ];
  const [d, ...rest] = diagnostieken(TEKST, fouten, "contract.regels");
  assert.equal(rest.length, 0);
  assert.equal(TEKST.slice(d.from, d.to), "productcod");
  assert.match(d.message, /onbekende naam 'productcod' \(bedoelde u 'productcode'\?\)/);
  assert.equal(pasToe(TEKST, d.herstelling), 'regel "x"\n  als de productcode is "1"\n');
});

test("diagnostieken herkent het bestand ook met de map van de regio ervoor", () => {
  const fout = { bestand: "contracten/noord/tarieven.csv", line: 1, column: 1, bericht: "x" };
  assert.equal(diagnostieken("a", [fout], "tarieven.csv").length, 1);
  assert.equal(diagnostieken("a", [fout], "ieven.csv").length, 0);
});

test("foutregel zegt waar, wat en wat te doen", () => {
  assert.equal(foutregel({ bestand: "c.regels", line: 3, column: 4, bericht: "b", suggestie: "s" }),
               "c.regels, regel 3, kolom 4: b — s");
  assert.equal(foutregel({ bestand: "c.regels", line: 3, column: 4, bericht: "b" }),
               "c.regels, regel 3, kolom 4: b");
});

test("vertraagd roept één keer aan, na de laatste aanroep, en annuleert", () => {
  const wachtend = new Map();
  let volgnummer = 0;
  const klok = { setTimeout: (fn) => { wachtend.set(++volgnummer, fn); return volgnummer; },
                 clearTimeout: (id) => wachtend.delete(id) };
  const gezien = [];
  const f = vertraagd((x) => gezien.push(x), 300, klok);
  f(1); f(2); f(3);
  assert.equal(wachtend.size, 1);
  [...wachtend.values()][0]();
  assert.deepEqual(gezien, [3]);
  f(4); f.annuleer();
  assert.equal(wachtend.size, 1); // only the already-run one's entry, nothing new pending
});

test("tokens: trefwoorden (langste frase eerst), tekst, getallen, datums, eenheden, commentaar", () => {
  const tabel = woordtabel(WOORDEN);
  assert.deepEqual(tokens("wijzigt parameter maximale afwezigheid in artikel 43.4: 21 dagen", tabel), [
    ["keyword", "wijzigt parameter"], ["parameter", "maximale afwezigheid"],
    ["keyword", "in artikel"], ["number", "43.4"], ["number", "21"], ["unit", "dagen"]]);
  assert.deepEqual(tokens('  als de productcode is "42A02" # uitleg', tabel), [
    ["keyword", "als"], ["field", "productcode"], ["keyword", "is"], ["string", '"42A02"'],
    ["comment", "# uitleg"]]);
  assert.deepEqual(tokens("geldig vanaf 2025-01-01", tabel), [["number", "2025-01-01"]]);
  // a keyword inside a longer word is not one
  assert.deepEqual(tokens("alsof regelmaat", tabel), []);
});

test("tokens: een open aanhalingsteken loopt tot het einde van de regel", () => {
  assert.deepEqual(tokens('uitleg "niet af', woordtabel(WOORDEN)), [["string", '"niet af']]);
});

test("aanvullingen: elk bekend woord met wat het is, regelnamen tussen aanhalingstekens", () => {
  const lijst = aanvullingen(WOORDEN);
  assert.ok(lijst.some((a) => a.label === "productcode" && a.detail === "veld"));
  assert.ok(lijst.some((a) => a.label === "maximale afwezigheid" && a.detail === "parameter"));
  assert.ok(lijst.some((a) => a.label === '"Declareren binnen drie maanden"' && a.detail === "regel"));
  assert.equal(lijst.filter((a) => a.label === "dagen").length, 1);
});
