"""iWmo 3.2 messages, validated against the XSDs shipped in `berichten/iwmo/xsd/`.

- `standaard`: `IWMO_3_2`, the record (namespaces, message codes WMO301 = 414, WMO323 = 484,
  WMO325 = 485, versions, code lists);
- `afleiden`: derives the unpublished WMO325.xsd from JW325.xsd (namespace and codes only).

The messages have the structure of their iJw counterparts, so the iJw readers and writers
serve them with this record (`berichten.herkenning` picks the record from the namespace).
"""
