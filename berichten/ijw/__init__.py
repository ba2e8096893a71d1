"""iJw 3.2 messages in and out, validated against the XSDs shipped in `berichten/ijw/xsd/`.

- `standaard`: `IJW_3_2`, the record: namespaces, message codes, versions, code lists (the
  only place in the code with an iStandaarden namespace);
- `jw323`: `lees_jw323` (JW323 -> Declaratie), `kop_uit` (header of a broken message),
  `schrijf_jw323`;
- `jw301`: `lees_jw301`, `lees_jw301_map`, `geldende_toewijzingen`, `schrijf_jw301`;
- `jw325`: `schrijf_jw325`, `technisch_afgewezen` (the answer, schema-valid);
- `snel`: the fast path of JW323 and JW301 input (a grammar that only accepts valid messages),
  built from a standard's record, so WMO323 and WMO301 have it too;
- `json_vorm`: the JSON forms of JW323 and JW301.

The generic parts (schemas, parsing, errors) are in `berichten/`.
"""
