using CanaryDemo.ServiceDefaults;
using CanaryDemo.StoreService;

return await ServiceProgram.RunAsync(StoreApplication.Service, StoreApplication.Build, args);
