export { startSftpSimulator } from "./start-sftp-simulator";
export type { SftpSimulator, SftpSimulatorFaults, SftpSimulatorOptions } from "./types";
export { generateUsableKeyPair } from "./generate-key-pair";
