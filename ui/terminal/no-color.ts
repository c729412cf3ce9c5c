/**
 * Honours NO_COLOR (https://no-color.org) for the Ink app. Ink colours through chalk, which reads
 * FORCE_COLOR but not NO_COLOR, once, when it is first loaded; so this module is imported before
 * ink and turns a non-empty NO_COLOR into FORCE_COLOR=0 (an explicit FORCE_COLOR still wins).
 */
if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = "0";
