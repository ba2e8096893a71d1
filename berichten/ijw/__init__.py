"""iJw 3.2 messages in and out, validated against the XSDs shipped in `berichten/ijw/xsd/`.

- `jw323`: `lees_jw323` (JW323 -> Declaratie), `kop_uit` (header of a broken message),
  `schrijf_jw323`;
- `jw301`: `lees_jw301`, `lees_jw301_map`, `geldende_toewijzingen`, `schrijf_jw301`;
- `jw325`: `schrijf_jw325`, `technisch_afgewezen` (the answer, schema-valid);
- `json_vorm`: the JSON forms of JW323 and JW301;
- `uitleg`: the explanation document (JSON) and its plain-text rendering;
- `fouten`: `BerichtFoutError`, the one located, Dutch error of message input;
- `schema`, `bron`: the compiled XSDs, safe parsing, error translation.
"""
