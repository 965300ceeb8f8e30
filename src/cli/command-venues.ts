/**
 * The venues each command accepts, kept apart from the commands themselves so `dnbot --help`
 * lists them without loading any command (or its adapters).
 */
export const DOCTOR_VENUES = ['nado', 'coinbase', 'drift'] as const;
export const RECORD_VENUES = ['nado'] as const;
