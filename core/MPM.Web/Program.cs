using MPM.Web;

return await MpmApp.MainAsync(args);

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
