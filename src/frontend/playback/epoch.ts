// faketime starts every program's clock here (2009-11-10 23:00:00 UTC); text written before
// any playback header is stamped with it, and the first event's Delay is measured from it.
export const PLAYBACK_EPOCH_NS = 1257894000000000000n;
