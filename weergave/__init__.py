"""Reports for people: everything regelwerk writes for a reader rather than a back office.

- `sjablonen`: the one jinja environment (templates under `weergave/templates`, filters);
- `uitleg`: the explanation of an assessment (JSON and text; HTML in the service's page);
- `document`: the articles in force on a date and what a region changed (`regelwerk toon`);
- `expressies`: IR expressions as Dutch phrases (from the vocabulary `engine.woorden`);
- `dekking`: the coverage report of a region's suite (`regelwerk test --dekking`);
- `samenvatting`: the summary table of `regelwerk controleer`.

Money and numbers are written by `engine.opmaak` and the words come from `engine.woorden`:
the engine writes the values of a reason with the same notation and imports nothing from here.
This package file imports nothing, so importing one report loads no other (nor jinja).
"""
