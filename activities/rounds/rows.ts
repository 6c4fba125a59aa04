export { lockRound, weekOf } from '../../src/data/round-lock.js';
