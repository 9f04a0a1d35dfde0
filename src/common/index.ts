export * from './proto';
export * from './curves';
export * from './hash';
export * from './log';
export * from './address';
export * from './filecoin';
export * from './connect';
