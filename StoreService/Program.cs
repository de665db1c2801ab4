using CanaryDemo.StoreService.Hosting;
using Microsoft.Extensions.Options;
using Serilog;

Log.Logger = StoreLogging.CreateLogger();
try
{
    await StoreApplication.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException exception)
{
    Log.Fatal("Invalid configuration, not starting: {errors}", string.Join(" ", exception.Failures));
    return 2;
}
catch (Exception exception)
{
    Log.Fatal(exception, "store-service failed");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
