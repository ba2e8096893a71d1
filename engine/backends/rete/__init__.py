"""Backend 'rete': every rule as a durable-rules rule over one fact per row.

`compiler` translates IR conditions into durable conditions (precomputing with the reference
evaluator what durable cannot say); `durable` is the only module that touches durable-rules;
`backend` posts the facts client by client.
"""
