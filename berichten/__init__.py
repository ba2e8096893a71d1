"""The iStandaarden messages: reading, validating and writing the XML and JSON forms of the
messages a region exchanges with its providers. Nothing here knows rules or regions; the
engine never imports this package (the batch application and the service bring the two
together; tests/huis/test_lagen.py holds that).

A standard is a data record (`standaard.Standaard`: namespaces, message kinds with their
codes and roles, schema files, code lists); each standard has a subpackage with its record,
its XSDs and its readers and writers (`ijw/`: iJw 3.2, `IJW_3_2`). The generic parts serve
any standard:

- `standaard`: the record types `Standaard`, `Bericht`, `Codelijsten`, `Retourcodes`;
- `schema`: the compiled XSDs (`schema(standaard, bericht)`), safe parsing, and Dutch,
  located errors for malformed or invalid XML;
- `bron`: a message source (bytes or a file), streaming parse with validation, dates;
- `fouten`: `BerichtFoutError`, the one located, Dutch error of message input;
- `aanwezigheid`: the absence CSV (`lees_aanwezigheid`) and the one check of a period.
"""
