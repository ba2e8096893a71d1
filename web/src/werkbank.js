// The workbench page: sign in with the region's key, choose region and file, edit in
// CodeMirror 6 with the rule language's highlighting, completion and live located errors
// (the service's check of the unsaved text), save with the version read, the audit trail
// with undo. Every word list comes from the service (/v1/regios/{regio}/woorden).
import { autocompletion, completeFromList } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { linter, lintGutter } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { classHighlighter, tags } from "@lezer/highlight";
import { aanvullingen, diagnostieken, foutregel, vanBestand, volgendToken, woordtabel } from "./logica.js";

const $ = (id) => document.getElementById(id);
const staat = { sleutel: "", regio: "", pad: "", versie: "", woorden: null, view: null, fouten: [] };

async function vraag(methode, pad, body) {
  const kop = { "X-API-Key": staat.sleutel };
  if (body !== undefined) kop["Content-Type"] = "application/json";
  const antwoord = await fetch(pad, { method: methode, headers: kop,
                                      body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await antwoord.json(); } catch { data = { fout: `antwoord ${antwoord.status}` }; }
  return { status: antwoord.status, data };
}

function meld(tekst, soort = "info") {
  const el = $("melding");
  el.textContent = tekst;
  el.dataset.soort = soort;
}

function bezig(aan) {
  $("bezig").hidden = !aan;
}

function regioPad(rest) {
  return `/v1/regios/${encodeURIComponent(staat.regio)}/${rest}`;
}

async function meldAan(event) {
  event.preventDefault();
  staat.sleutel = $("sleutel").value.trim();
  const { status, data } = await vraag("GET", "/v1/regios");
  if (status !== 200) { meld(data.fout || "aanmelden mislukt", "fout"); return; }
  const keuze = $("regio");
  keuze.replaceChildren(...data.map((r) => new Option(r.naam, r.naam)));
  if (!data.length) { meld("deze sleutel geeft toegang tot geen enkele regio", "fout"); return; }
  $("keuzes").hidden = false;
  meld(`Aangemeld: ${data.length} regio('s).`);
  await kiesRegio();
  keuze.focus();
}

async function kiesRegio() {
  staat.regio = $("regio").value;
  const [lijst, woorden] = await Promise.all([vraag("GET", regioPad("bestanden")),
                                              vraag("GET", regioPad("woorden"))]);
  if (lijst.status !== 200) { meld(lijst.data.fout, "fout"); return; }
  staat.woorden = woorden.status === 200 ? woorden.data : {};
  $("bestand").replaceChildren(...lijst.data.bestanden.map(
    (b) => new Option(`${b.pad} (${b.soort})`, b.pad)));
  await openBestand();
  await toonLogboek();
}

async function openBestand() {
  staat.pad = $("bestand").value;
  if (!staat.pad) return;
  const { status, data } = await vraag("GET", regioPad(`bestanden/${staat.pad}`));
  if (status !== 200) { meld(data.fout, "fout"); return; }
  staat.versie = data.versie;
  maakEditor(data.tekst);
  toonFouten([]);
  $("bestandsnaam").textContent = `${staat.regio}/${staat.pad}`;
  $("werk").hidden = false;
}

function taal() {
  const tabel = woordtabel(staat.woorden || {});
  return StreamLanguage.define({
    name: "regels",
    token(stream) {
      const { soort, lengte } = volgendToken(stream.string.slice(stream.pos), tabel);
      stream.pos += Math.max(lengte, 1);
      return soort;
    },
    tokenTable: { unit: tags.unit, field: tags.propertyName, parameter: tags.special(tags.variableName),
                  function: tags.function(tags.variableName) },
    languageData: { commentTokens: { line: "#" } },
  });
}

const stijl = HighlightStyle.define([
  { tag: tags.keyword, color: "#7a2e8e", fontWeight: "bold" },
  { tag: tags.string, color: "#1d6b2a" },
  { tag: tags.number, color: "#0b5394" },
  { tag: tags.comment, color: "#5c5c5c", fontStyle: "italic" },
  { tag: tags.unit, color: "#8a4b00" },
  { tag: tags.propertyName, color: "#004c66" },
  { tag: tags.special(tags.variableName), color: "#9c2a00", fontStyle: "italic" },
  { tag: tags.function(tags.variableName), color: "#6b3d00" },
]);

async function controleer(view) {
  const tekst = view.state.doc.toString();
  const pad = staat.pad;
  const { status, data } = await vraag("POST", regioPad(`controleer/${pad}`), { tekst });
  if (pad !== staat.pad || view !== staat.view) return [];
  if (status !== 200) { meld(data.fout || "controleren mislukt", "fout"); return []; }
  toonFouten(data.fouten);
  return diagnostieken(tekst, data.fouten, pad).map((d) => ({
    ...d,
    actions: d.herstelling ? [{ name: `Herstel: ${d.herstelling.door}`,
                                apply: (v) => herstel(v, d.herstelling) }] : [],
  }));
}

function herstel(view, h) {
  view.dispatch({ changes: { from: h.van, to: h.tot, insert: h.door } });
  view.focus();
}

function maakEditor(tekst) {
  if (staat.view) staat.view.destroy();
  const opslaan = { key: "Mod-s", preventDefault: true, run: () => { slaOp(); return true; } };
  staat.view = new EditorView({
    parent: $("editor"),
    state: EditorState.create({ doc: tekst, extensions: [
      lineNumbers(), history(), taal(), syntaxHighlighting(stijl), syntaxHighlighting(classHighlighter),
      autocompletion({ override: [completeFromList(aanvullingen(staat.woorden || {}))] }),
      linter(controleer, { delay: 400 }), lintGutter(),
      keymap.of([opslaan, ...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.contentAttributes.of({ "aria-label": "regeltekst", "aria-describedby": "fouten-kop" }),
      EditorView.lineWrapping,
    ] }),
  });
}

function toonFouten(fouten) {
  staat.fouten = fouten;
  const lijst = $("fouten");
  lijst.replaceChildren();
  $("fouten-kop").textContent = fouten.length ? `${fouten.length} fout(en)` : "Geen fouten";
  for (const fout of fouten) {
    const li = document.createElement("li");
    li.className = "fout";
    li.textContent = foutregel(fout) + " ";
    if (fout.herstelling && vanBestand(fout, staat.pad)) {
      const knop = document.createElement("button");
      knop.type = "button";
      knop.className = "herstel";
      knop.textContent = `Herstel: ${fout.herstelling.door}`;
      knop.addEventListener("click", () => herstel(staat.view, fout.herstelling));
      li.append(knop);
    }
    lijst.append(li);
  }
}

async function slaOp() {
  if (!staat.view) return;
  bezig(true);
  const tekst = staat.view.state.doc.toString();
  const { status, data } = await vraag("PUT", regioPad(`bestanden/${staat.pad}`),
                                       { tekst, versie: staat.versie });
  bezig(false);
  if (status === 200) {
    staat.versie = data.versie;
    const wijziging = data.vorige_hash === data.regelset_hash ? "ongewijzigd" : "nieuw";
    meld(`Opgeslagen en herladen (opslag ${data.opslag.nummer}): regelset ` +
         `${data.regelset_hash.slice(0, 12)} (${wijziging}).`, "goed");
    toonFouten([]);
    await toonLogboek();
  } else if (status === 422 && data.fouten) {
    toonFouten(data.fouten);
    meld("Niet opgeslagen: de regio heeft fouten; de oude regelset blijft van kracht.", "fout");
  } else {
    meld(`Niet opgeslagen: ${data.fout}`, "fout");
  }
}

async function toonLogboek() {
  const { status, data } = await vraag("GET", regioPad("logboek"));
  const tabel = $("logboek");
  tabel.replaceChildren();
  if (status !== 200) return;
  for (const o of data.opslagen) {
    const rij = tabel.insertRow();
    const wanneer = new Date(o.wanneer).toLocaleString("nl-NL");
    const wat = o.hersteld ? `${o.bestand} (maakt opslag ${o.hersteld} ongedaan)` : o.bestand;
    for (const tekst of [String(o.nummer), o.wie, wanneer, wat]) rij.insertCell().textContent = tekst;
    const diff = document.createElement("details");
    const samenvatting = document.createElement("summary");
    samenvatting.textContent = "wijziging";
    const pre = document.createElement("pre");
    pre.textContent = o.diff;
    diff.append(samenvatting, pre);
    rij.insertCell().append(diff);
    const knop = document.createElement("button");
    knop.type = "button";
    knop.className = "ongedaan";
    knop.textContent = `Opslag ${o.nummer} ongedaan maken`;
    knop.addEventListener("click", () => maakOngedaan(o.nummer));
    rij.insertCell().append(knop);
  }
}

async function maakOngedaan(nummer) {
  bezig(true);
  const { status, data } = await vraag("POST", regioPad(`logboek/${nummer}/ongedaan`));
  bezig(false);
  if (status !== 200) { meld(`Niet ongedaan gemaakt: ${data.fout}`, "fout"); return; }
  meld(`Opslag ${nummer} ongedaan gemaakt (opslag ${data.opslag.nummer}); regelset ` +
       `${data.regelset_hash.slice(0, 12)} herladen.`, "goed");
  if (data.pad === staat.pad) await openBestand();
  await toonLogboek();
}

function lijstItem(tekst, klasse, details) {
  const li = document.createElement("li");
  li.className = klasse;
  li.textContent = tekst;
  if (details) {
    const pre = document.createElement("pre");
    pre.textContent = details;
    li.append(pre);
  }
  return li;
}

async function draaiGevallen() {
  bezig(true);
  $("gevallen-uitslag").textContent = "De gevallen draaien…";
  const metDekking = $("dekking").checked ? "?dekking=true" : "";
  const { status, data } = await vraag("POST", regioPad(`gevallen${metDekking}`));
  bezig(false);
  const lijst = $("gevallen");
  lijst.replaceChildren();
  if (status !== 200) { $("gevallen-uitslag").textContent = data.fout; return; }
  const mislukt = data.gevallen.filter((g) => !g.geslaagd);
  $("gevallen-uitslag").textContent = `${data.gevallen.length} gevallen: ` +
    `${data.gevallen.length - mislukt.length} geslaagd, ${mislukt.length} mislukt.`;
  for (const g of mislukt) lijst.append(lijstItem(`Mislukt: ${g.naam} (${g.plek})`, "mislukt", g.verslag));
  if (data.dekking) {
    const { stille_regels: stil, halve_voorwaarden: half } = data.dekking;
    if (!stil.length && !half.length) lijst.append(lijstItem("Dekking volledig: elke regel en voorwaarde wordt bereikt.", "gedekt"));
    for (const r of stil) lijst.append(lijstItem(`Geen geval bereikt regel "${r.regel}" (artikel ${r.artikel}${r.lid ? ", lid " + r.lid : ""})`, "ongedekt"));
    for (const h of half) lijst.append(lijstItem(`Regel "${h.regel}": voorwaarde ${h.voorwaarde} is in geen geval ${h.nooit.join(" of ")}`, "ongedekt"));
  }
}

async function toonLezen(route) {
  bezig(true);
  const antwoord = await fetch(regioPad(route), { headers: { "X-API-Key": staat.sleutel,
                                                             Accept: "text/html" } });
  bezig(false);
  const tekst = await antwoord.text();
  if (!antwoord.ok) { meld(`Niet te tonen: ${JSON.parse(tekst).fout}`, "fout"); return; }
  const lezen = $("lezen");
  lezen.srcdoc = tekst;
  lezen.hidden = false;
}

function peildatum() {
  return $("peildatum").value || new Date().toISOString().slice(0, 10);
}

$("artikelen").addEventListener("click", () => toonLezen(`artikelen?datum=${peildatum()}`));
$("verschil").addEventListener("click", () => toonLezen(`verschil?op=${peildatum()}`));
$("verschil-alles").addEventListener("click", () => toonLezen("verschil"));
$("aanmelden").addEventListener("submit", meldAan);
$("draai").addEventListener("click", draaiGevallen);
$("regio").addEventListener("change", kiesRegio);
$("bestand").addEventListener("change", openBestand);
$("opslaan").addEventListener("click", slaOp);
document.body.dataset.klaar = "ja";
// The editor's whole text, for the browser tests (CodeMirror draws only the visible lines).
window.werkbankTekst = () => (staat.view ? staat.view.state.doc.toString() : "");
