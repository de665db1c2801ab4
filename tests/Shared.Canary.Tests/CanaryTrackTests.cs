using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CanaryDemo.Shared.Canary.Tests;

public class CanaryTrackTests
{
    [Theory]
    [InlineData("stable")]
    [InlineData("pr-1")]
    [InlineData("pr-42")]
    [InlineData("pr-999999999")]
    public void Stable_and_pr_tracks_of_valid_pr_numbers_are_valid(string track) => Assert.True(CanaryTrack.IsValid(track));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Stable")]
    [InlineData("pr-")]
    [InlineData("pr-0")]
    [InlineData("pr-042")]
    [InlineData("pr-+4")]
    [InlineData("pr-1234567890")]
    [InlineData("pr42")]
    [InlineData("PR-42")]
    [InlineData("pr-42 ")]
    public void Anything_else_is_not_a_track(string? track) => Assert.False(CanaryTrack.IsValid(track));

    [Fact]
    public void The_track_defaults_to_stable_and_the_route_header_to_off()
    {
        var services = new ServiceCollection();
        var track = services.AddCanaryTrack(new ConfigurationBuilder().Build(), "some-service");

        Assert.Equal(new TrackIdentity("some-service", "stable"), track);
        Assert.Equal("some-service=stable", track.Hop);
        Assert.False(services.BuildServiceProvider().GetRequiredService<IOptions<CanaryOptions>>().Value.RouteHeader);
    }

    [Fact]
    public void A_configured_track_is_the_process_identity()
    {
        var services = new ServiceCollection();
        var track = services.AddCanaryTrack(Configuration(("Canary:Track", "pr-7"), ("Canary:RouteHeader", "true")), "api-service");

        Assert.Equal("api-service=pr-7", track.Hop);
        Assert.False(track.IsStable);
        using var provider = services.BuildServiceProvider();
        Assert.Same(track, provider.GetRequiredService<TrackIdentity>());
        Assert.True(provider.GetRequiredService<IOptions<CanaryOptions>>().Value.RouteHeader);
    }

    [Fact]
    public void An_invalid_track_stops_the_build_with_a_message_naming_the_setting()
    {
        var exception = Assert.Throws<OptionsValidationException>(
            () => new ServiceCollection().AddCanaryTrack(Configuration(("Canary:Track", "pr-042")), "api-service"));

        Assert.Equal(["Canary:Track must be 'stable' or 'pr-<PR number>' (e.g. pr-42), not 'pr-042'."], exception.Failures);
    }

    [Theory]
    [InlineData("store-service=pr-42", new[] { "store-service=pr-42" })]
    [InlineData("a=stable, b-2=pr-7", new[] { "a=stable", "b-2=pr-7" })]
    [InlineData("store-service=pr-042", new string[0])]
    [InlineData("store-service=stable,b=stable", new string[0])]
    [InlineData("store-service=stable\r\nx: y", new string[0])]
    [InlineData("", new string[0])]
    [InlineData(null, new string[0])]
    public void Only_well_formed_routes_yield_hops(string? route, string[] hops) => Assert.Equal(hops, CanaryRoute.Hops(route));

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
