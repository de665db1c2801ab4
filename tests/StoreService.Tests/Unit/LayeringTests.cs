using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace CanaryDemo.StoreService.Tests.Unit;

/// <summary>
/// The gRPC boundary is in one place: the domain (Items/) and the data layer (Data/) raise domain
/// outcomes; only Grpc/ knows status codes. Checked on the compiled store, so a fully qualified
/// name or a transitive use cannot slip past.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Architecture Store = new ArchLoader().LoadAssemblies(typeof(StoreApplication).Assembly).Build();

    [Theory]
    [InlineData("CanaryDemo.StoreService.Items")]
    [InlineData("CanaryDemo.StoreService.Data")]
    [InlineData("CanaryDemo.StoreService.Paging")]
    public void The_domain_and_data_layers_know_nothing_of_gRPC_statuses(string layer) =>
        Types().That().ResideInNamespace(layer)
            .Should().NotDependOnAny(Types().That().ResideInNamespace("CanaryDemo.StoreService.Grpc"))
            .AndShould().NotDependOnAny(Types().That().ResideInNamespace("Grpc.Core"))
            .Because("status codes are decided at the gRPC boundary (Grpc/)")
            .Check(Store);
}
