"""Reports people read: one model (`model.Rapport`), rendered as tekst, json, csv, xlsx or html.

The period reports (`regelwerk kwartaal`, `verantwoording`) and the year's money
(`voorschotten`, `betaalrun`, `vaststelling`, `verevening`) build a `Rapport`; the renderers
here turn it into each format, so every command and endpoint offers the same formats with the
same figures."""

from weergave.rapport.formaten import BINAIR, EXTENSIE, MEDIATYPE, Formaat, bestandsnaam, render

__all__ = ["BINAIR", "EXTENSIE", "MEDIATYPE", "Formaat", "bestandsnaam", "render"]
