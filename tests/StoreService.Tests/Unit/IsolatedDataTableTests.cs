using Amazon.DynamoDBv2.Model;
using CanaryDemo.StoreService.Data;
using YamlDotNet.RepresentationModel;

namespace CanaryDemo.StoreService.Tests.Unit;

/// <summary>
/// The per-PR table of the manifests (an ACK <c>Table</c> in
/// <c>manifests-microservices/kustomize/store-service/components/isolated-data/table.yaml</c>) is the
/// table the store creates for itself (<see cref="ItemTable.Definition"/>): same billing, key
/// attributes and types, key schema, indexes and projections. The manifests tests show the rendered
/// Table equals that file apart from its name.
/// </summary>
public sealed class IsolatedDataTableTests
{
    private static readonly YamlMappingNode Spec = LoadSpec();

    private static readonly CreateTableRequest Store = ItemTable.Definition("any");

    [Fact]
    public void Billing_mode_is_the_stores() =>
        Assert.Equal(Store.BillingMode.Value, Scalar(Spec, "billingMode"));

    [Fact]
    public void Attribute_definitions_are_the_stores() =>
        Assert.Equal(
            Store.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}").Order(),
            Sequence(Spec, "attributeDefinitions").Select(a => $"{Scalar(a, "attributeName")}:{Scalar(a, "attributeType")}").Order());

    [Fact]
    public void The_key_schema_is_the_stores() =>
        Assert.Equal(KeySchema(Store.KeySchema), KeySchema(Sequence(Spec, "keySchema")));

    [Fact]
    public void Global_secondary_indexes_are_the_stores_with_their_keys_and_projections()
    {
        var expected = Store.GlobalSecondaryIndexes.ToDictionary(
            index => index.IndexName,
            index => $"{KeySchema(index.KeySchema)} {index.Projection.ProjectionType.Value}");
        var actual = Sequence(Spec, "globalSecondaryIndexes").ToDictionary(
            index => Scalar(index, "indexName"),
            index => $"{KeySchema(Sequence(index, "keySchema"))} {Scalar((YamlMappingNode)index[new YamlScalarNode("projection")], "projectionType")}");

        Assert.Equal(expected.OrderBy(pair => pair.Key), actual.OrderBy(pair => pair.Key));
        Assert.Equal([ItemTable.CategoryIndex, ItemTable.StatusIndex], actual.Keys.Order());
    }

    private static string KeySchema(IEnumerable<KeySchemaElement> keys) =>
        string.Join(", ", keys.Select(key => $"{key.AttributeName} {key.KeyType.Value}"));

    private static string KeySchema(IEnumerable<YamlMappingNode> keys) =>
        string.Join(", ", keys.Select(key => $"{Scalar(key, "attributeName")} {Scalar(key, "keyType")}"));

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[new YamlScalarNode(key)]).Value!;

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode node, string key) =>
        ((YamlSequenceNode)node[new YamlScalarNode(key)]).Children.Cast<YamlMappingNode>();

    private static YamlMappingNode LoadSpec()
    {
        var file = Path.Combine(RepositoryPaths.Root, "manifests-microservices", "kustomize", "store-service", "components", "isolated-data", "table.yaml");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }

        var table = (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
        Assert.Equal("dynamodb.services.k8s.aws/v1alpha1", Scalar(table, "apiVersion"));
        Assert.Equal("Table", Scalar(table, "kind"));
        return (YamlMappingNode)table[new YamlScalarNode("spec")];
    }
}
