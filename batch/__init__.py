"""The batch application: read a month of declarations and allocations, assess them in
blocks (in worker processes for large inputs), record and write the answers. The command
line, the service, the contract test runner and the bench all call it."""
