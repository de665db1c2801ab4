using CanaryDemo.StoreService.Configuration;
using CanaryDemo.StoreService.Paging;
using Microsoft.Extensions.Options;
using Category = CanaryDemo.Store.V1.ItemCategory;
using Status = CanaryDemo.Store.V1.ItemStatus;

namespace CanaryDemo.StoreService.Tests.Unit;

/// <summary>Token rules that need a clock or a second key, which the black-box tests cannot control.</summary>
public sealed class PageTokenCodecTests
{
    private static readonly ListFilter Filter = new(Category.Books, Status.Active, "lamp");
    private static readonly ListPosition Position = new(Guid.CreateVersion7(), Category.Books);

    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 1, 15, 10, 30, 0, TimeSpan.Zero));

    [Fact]
    public void A_token_decodes_to_its_position_for_its_tenant_and_filter()
    {
        var codec = Codec(Key(1));
        var token = codec.Encode(42, Filter, Position);

        Assert.Equal(Position, codec.Decode(token, 42, Filter with { Search = "LAMP" }, out var problem));
        Assert.Null(problem);
        Assert.Null(codec.Decode(token, 43, Filter, out problem));
        Assert.Equal("was issued for another tenant or filter", problem);
    }

    [Fact]
    public void A_token_expires_after_its_lifetime()
    {
        var codec = Codec(Key(1));
        var token = codec.Encode(42, Filter, Position);

        _clock.Now += PageTokenCodec.Lifetime;
        Assert.NotNull(codec.Decode(token, 42, Filter, out _));
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.Null(codec.Decode(token, 42, Filter, out var problem));
        Assert.Equal("has expired; list again from the first page", problem);
    }

    [Fact]
    public void A_token_signed_with_another_key_is_rejected()
    {
        var token = Codec(Key(1)).Encode(42, Filter, Position);

        Assert.Null(Codec(Key(2)).Decode(token, 42, Filter, out var problem));
        Assert.Equal("is not a valid page token", problem);
    }

    private PageTokenCodec Codec(string key) =>
        new(Options.Create(new StoreOptions { PageTokenSigningKey = key }), _clock);

    private static string Key(byte fill) => Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray());

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
