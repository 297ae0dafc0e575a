// BullMQ loads sandboxed processors with require() in a child process: register the
// TypeScript loader there, then hand over the real processor.
require("tsx/cjs");
const processor = require("./import-processor.ts");
module.exports = processor.default ?? processor;
