using Microsoft.Extensions.Options;

namespace CanaryDemo.StoreService.Configuration;

/// <summary>Source-generated (reflection-free) validation of <see cref="StoreOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class StoreOptionsValidator : IValidateOptions<StoreOptions>;
