using CanaryDemo.ApiService;
using CanaryDemo.ServiceDefaults;

return await ServiceProgram.RunAsync(ApiApplication.Service, ApiApplication.Build, args);
