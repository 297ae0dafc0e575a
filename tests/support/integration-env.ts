import { applyTestEnv } from "./test-env";

applyTestEnv("iceconnector_test");
