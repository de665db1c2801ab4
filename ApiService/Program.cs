using CanaryDemo.ApiService;

var app = ApiApplication.Build(args);
await app.RunAsync();
