"""The batch application: read a month of declarations and allocations, assess them in
blocks (in worker processes for large inputs), record and write the answers. The command
line, the service, the contract test runner and the bench all call it.

In the order of the flow:
- `verwerking`: the one place that puts read -> assess -> record -> write together
  (`controleer` for files; `beoordeel_bericht` / `beoordeel_en_registreer` for one message
  in memory);
- `invoer`: the contract, the aanwezigheid CSV, the output folder, a message's file;
- `toewijzingen` (with `toewijzing_cache`): the JW301 files, kept parsed, read by helpers;
- `verdeling`: the split by lane (gemeente, provider) over workers; `werkers` runs them;
- `beoordelen`: one process's messages in the engine's blocks, lane by lane;
- `uitvoer`: the JW325 and the explanation; `verslag`: a summary per message;
- around it: `fasen` (time, memory, progress), `processen` (forking and signals),
  `melding` (stderr, BSNs masked), `fouten`; the collector is paused with
  `engine.geheugen.zonder_gc`, as in the engine.
"""
