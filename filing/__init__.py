"""Filing: e-file registration, filing rights, filing agents, cases, NEF and PACER fees."""
