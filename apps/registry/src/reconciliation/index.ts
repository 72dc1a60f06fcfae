/** Cross-checking (比对核实) departments' lists: pure matching and merging, no I/O. */
export * from './normalise.js';
export * from './match.js';
