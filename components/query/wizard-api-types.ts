// Request and response shapes of the wizard's endpoints, derived from the zod schemas the
// routes parse and answer with (type-only imports: erased, nothing reaches a client
// bundle). Requests are the schemas' input types, so a field the server defaults may be
// left out; responses are their output types, which are what JSON carries.

import type { CheckKeysResult, ConnectionValidation, ConnectorView, MappingPreview, UpdateConnectorInput, ValidationStageReport } from "@/lib/connectors/api-schemas";
import type { CreateConnectorInput } from "@/lib/connectors/connector-input";

export type { CheckKeysInput, CheckKeysResult, ValidateConnectionInput } from "@/lib/connectors/api-schemas";

export type KeyMode = ConnectorView["keyMode"];
export type Destination = ConnectorView["destination"];

export type ValidationStageName = ValidationStageReport["stage"];
export type ValidateConnectionResult = ConnectionValidation;

export type KeyCheck = NonNullable<CheckKeysResult["pgp"]>;

export type MappingPreviewResult = MappingPreview;

export type ConnectorWriteInput = CreateConnectorInput;

/** PATCH body: any subset; a secret omitted or "" keeps the stored value, null clears it. */
export type ConnectorPatchInput = UpdateConnectorInput;
