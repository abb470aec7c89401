export { SaveStatus, type SaveSnapshot, type SaveState } from './save-status';
