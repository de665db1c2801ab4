// Schema of the AWS Controllers for Kubernetes (ACK) DynamoDB Table, dynamodb.services.k8s.aws/v1alpha1.
// No kubernetes-models package covers ACK, so this is the spec part of the CRD's
// openAPIV3Schema (aws-controllers-k8s/dynamodb-controller,
// config/crd/bases/dynamodb.services.k8s.aws_tables.yaml), its property names, types and
// required fields, written out here without the descriptions, and checked with ajv.
// Every object is closed (additionalProperties: false), so a misspelled field fails, like
// the strict check does for the other kinds. Fields this repository does not use are
// still declared, so the schema says what the CRD allows, not what we happen to write.
import Ajv from "ajv";

const string = { type: "string" };
const boolean = { type: "boolean" };
const int64 = { type: "integer" };
const closed = (properties, required = []) => ({ type: "object", additionalProperties: false, properties, required });
const list = (items) => ({ type: "array", items });

const keySchemaElement = closed({ attributeName: string, keyType: string });
const projection = closed({ nonKeyAttributes: list(string), projectionType: string });
const throughput = closed({ readCapacityUnits: int64, writeCapacityUnits: int64 });
const reference = closed({ from: closed({ name: string, namespace: string }) });

const tableSpec = closed({
  attributeDefinitions: list(closed({ attributeName: string, attributeType: string })),
  billingMode: string,
  continuousBackups: closed({ pointInTimeRecoveryEnabled: boolean }),
  deletionProtectionEnabled: boolean,
  globalSecondaryIndexes: list(closed({ indexName: string, keySchema: list(keySchemaElement), projection, provisionedThroughput: throughput })),
  keySchema: list(keySchemaElement),
  localSecondaryIndexes: list(closed({ indexName: string, keySchema: list(keySchemaElement), projection })),
  provisionedThroughput: throughput,
  replicationGroup: list(closed({
    globalSecondaryIndexes: list(closed({ indexName: string, provisionedThroughputOverride: closed({ readCapacityUnits: int64 }) })),
    kmsMasterKeyID: string,
    provisionedThroughputOverride: closed({ readCapacityUnits: int64 }),
    regionName: string,
    tableClassOverride: string,
  })),
  sseSpecification: closed({ enabled: boolean, kmsMasterKeyID: string, kmsMasterKeyRef: reference, sseType: string }),
  streamSpecification: closed({ streamEnabled: boolean, streamViewType: string }),
  tableClass: string,
  tableName: string,
  tags: list(closed({ key: string, value: string })),
  timeToLive: closed({ attributeName: string, enabled: boolean }),
}, ["attributeDefinitions", "keySchema", "tableName"]);

const stringMap = { type: "object", additionalProperties: string };
const table = closed({
  apiVersion: { const: "dynamodb.services.k8s.aws/v1alpha1" },
  kind: { const: "Table" },
  metadata: closed({ name: string, namespace: string, labels: stringMap, annotations: stringMap }, ["name"]),
  spec: tableSpec,
}, ["apiVersion", "kind", "metadata", "spec"]);

const validate = new Ajv({ allErrors: true, strict: true }).compile(table);

/** Problems of an ACK object as "<kind>/<name> <json pointer>: <message>" strings; empty when valid. */
export function ackProblems(object) {
  if (validate(object)) return [];
  const label = `${object.kind}/${object.metadata?.name ?? "?"}`;
  return validate.errors.map((error) =>
    `${label} ${error.instancePath}: ${error.keyword === "additionalProperties" ? `unknown field ${error.params.additionalProperty}` : error.message}`);
}

export const ackGroups = new Set(["dynamodb.services.k8s.aws"]);
