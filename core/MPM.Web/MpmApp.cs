using Autofac.Extensions.DependencyInjection;
using Coravel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MPM.Core;
using MPM.Data;
using MPM.Sdk;
using MPM.Sdk.Registration;
using MPM.Sdk.Meters;
using MPM.Sdk.Payments;
using MPM.Sdk.Sms;
using MPM.Sdk.Ticketing;
using MPM.Web.Api;
using MPM.Web.Cli;
using MPM.Web.Demo;
using MPM.Web.Features.AccessRates;
using MPM.Web.Features.Catalog;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Dashboards;
using MPM.Web.Features.Reports;
using MPM.Web.Features.Meters;
using MPM.Web.Features.Operations;
using MPM.Web.Features.Operator;
using MPM.Web.Features.Payments;
using MPM.Web.Features.Places;
using MPM.Web.Features.Sms;
using MPM.Web.Features.Maintenance;
using MPM.Web.Features.Tickets;
using MPM.Web.Features.Targets;
using MPM.Web.Jobs;
using MPM.Web.Features.Transactions;
using MPM.Web.Plugins;
using MPM.Web.Security;
using MPM.Web.Settings;
using MPM.Web.Shell;

namespace MPM.Web;

/// <summary>Composition of the host. No verb serves the web app; a verb runs the CLI.</summary>
public static class MpmApp
{
    public static async Task<int> MainAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
        // Disposing the app stops the embedded PostgreSQL cluster if this process started it.
        await using var app = Build(verb is null ? args : [], cli: verb is not null);
        if (verb is not null)
        {
            return await CliRunner.RunAsync(app.Services, verb, args.Skip(1).ToList(), Console.Out, Console.Error);
        }

        await app.StartAsync();
        await PrintWelcomeAsync(app, await FirstStartAsync(app));
        await app.WaitForShutdownAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, bool cli)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Host.UseServiceProviderFactory(new AutofacServiceProviderFactory());
        if (cli)
        {
            // A verb prints its result on stdout; logs go to stderr and only when they matter.
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            // The request lines are the host's own, without the secrets a query string may carry.
            builder.Logging.WithoutHostingRequestLines();
            // Pipeline lines carry TransactionId in a logging scope: the console shows scopes unless configured otherwise.
            var includeScopes = builder.Configuration.GetValue("Logging:Console:FormatterOptions:IncludeScopes", true);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>(o => o.IncludeScopes = includeScopes);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(o => o.IncludeScopes = includeScopes);
        }

        using var bootstrapLogs = LoggerFactory.Create(l => l.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(cli ? LogLevel.Warning : LogLevel.Information));
        var plugins = PluginHost.Load(builder.Configuration, builder.Services, bootstrapLogs.CreateLogger("MPM.Plugins"));
        ConfigureServices(builder.Services, plugins);
        builder.Services.AddMpmRateLimits(builder.Configuration);
        builder.Services.AddMpmBodyLimits(builder.Configuration);
        builder.Services.AddSingleton(new LoadShedding(builder.Configuration));

        var app = builder.Build();
        Configure(app, plugins);
        return app;
    }

    private static void ConfigureServices(IServiceCollection services, PluginHost plugins)
    {
        services.AddSingleton(plugins);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Database>();
        services.AddSingleton<DatabaseStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        services.AddScoped(sp => sp.GetRequiredService<Database>().Connect());
        services.AddScoped<AuditLog>();
        services.AddScoped<IAuditTrail>(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<IPluginSecrets, PluginSecrets>();
        services.AddScoped<UserService>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<PluginSettingsStore>();
        services.AddScoped<IPluginSettings>(sp => sp.GetRequiredService<PluginSettingsStore>());
        services.AddSingleton<IPluginDatabase, PluginDatabase>();
        services.AddScoped<Registration>();
        services.AddScoped<IFieldRegistration, FieldRegistrationService>();
        services.AddScoped<IOperatorSignIn, OperatorSignIn>();
        services.AddSingleton<OperatorProfile>();
        services.AddSingleton<PipelineSignal>();
        services.AddSingleton<PipelineClaims>();
        services.AddScoped<IPaymentIntake, PaymentIntake>();
        services.AddScoped<PaymentProcessor>();
        services.AddScoped<ProviderOutbox>();
        services.AddScoped<SmsSender>();
        services.AddScoped<ISmsInbox, SmsInbox>();
        services.AddScoped<SmsCenter>();
        services.AddScoped<TicketingProviders>();
        services.AddScoped<TicketDesk>();
        services.AddScoped<TicketOutbox>();
        services.AddScoped<ITicketEvents, TicketEvents>();
        services.AddSingleton<TicketOutboxSignal>();
        services.AddHostedService<TicketOutboxWorker>();
        services.AddScoped<MaintenanceDesk>();
        services.AddScoped<SmsTemplateCatalog>();
        services.AddScoped<MeterPayments>();
        services.AddScoped<CustomerPayments>();
        services.AddHostedService<PipelineWorkers>();
        services.AddScoped<CustomerDirectory>();
        services.AddScoped<CustomerProfile>();
        services.AddScoped<AddressBook>();
        services.AddScoped<AssetSales>();
        services.AddScoped<MeterProfile>();
        services.AddScoped<MeterDirectory>();
        services.AddTransient<AccessRateAccrualJob>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<DemoFirstStart>();
        services.AddScoped<IMeterLookup>(sp => sp.GetRequiredService<MeterDirectory>());
        services.AddScoped<MeterSummaries>();
        services.AddScoped<PlaceCatalog>();
        services.AddScoped<TariffCatalog>();
        services.AddScoped<CustomerGroupCatalog>();
        services.AddScoped<ManufacturerCatalog>();
        services.AddScoped<AssetTypeCatalog>();
        services.AddScoped<MeterTypeCatalog>();
        services.AddScoped<OperatorSettingsStore>();
        services.AddScoped<TransactionQueries>();
        services.AddScoped<TargetCatalog>();
        services.AddScoped<DashboardQueries>();
        services.AddScoped<ReportData>();
        services.AddScoped<ReportArchive>();
        services.AddScoped<ReportRuns>();
        services.AddSingleton<ReportRunSignal>();
        services.AddHostedService<ReportRunner>();
        services.AddTransient<ReportScheduleJob>();
        services.AddSingleton<WeatherForecasts>();
        services.AddSingleton<MetricsAccess>();
        services.AddSingleton(sp => new Sidebar(sp.GetRequiredService<PluginHost>().SidebarItems.Select(i => new SidebarEntry(i.Title, i.Url, i.Icon, [], i.RequiredRole))));
        CliRunner.Register(services);

        services.AddDataProtection().SetApplicationName("MPM.Platform");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DbXmlRepository(sp.GetRequiredService<Database>())));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/Account/Login";
                o.AccessDeniedPath = "/Account/AccessDenied";
                o.Cookie.Name = "mpm.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                // Machines calling the API or plugin endpoints get status codes, not a login page.
                o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(Roles.Web).Build())
            .AddPolicy(ApiEndpoints.Policy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "mpm.antiforgery";
            o.Cookie.HttpOnly = true;
            // Secure behind HTTPS; plain HTTP (local development, tests on loopback) keeps working.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/Plugins", "admin");
                o.Conventions.AuthorizeFolder("/Users", "admin");
                o.Conventions.AuthorizeFolder("/Audit", "admin");
                o.Conventions.AuthorizeFolder("/ApiKeys", "admin");
                o.Conventions.AllowAnonymousToPage("/Account/Login");
                o.Conventions.AllowAnonymousToPage("/Account/AccessDenied");
            })
            .AddMvcOptions(o => o.Filters.Add<HandlerAuthorizationFilter>())
            .ConfigureApplicationPartManager(plugins.AddApplicationParts);
        services.AddAuthorizationBuilder().AddPolicy("admin", p => p.RequireRole(Roles.Admin));
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true);
        services.AddHealthChecks().AddCheck<ReadinessCheck>("database", tags: ["ready"]);
        services.AddScheduler();
    }

    private static void Configure(WebApplication app, PluginHost plugins)
    {
        // First: its "finished" line has the status the exception handler gave.
        app.UseRequestLog();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            // Only sent on HTTPS answers (and not for localhost): browsers then refuse plain HTTP to this host.
            app.UseHsts();
        }

        app.UseSecurityHeaders(app.Configuration);
        // First: a request the host cannot take is refused before it costs anything else.
        var shedding = app.Services.GetRequiredService<LoadShedding>();
        app.Use(shedding.InvokeAsync);

        app.UseStatusCodePages();
        app.UseStaticFiles();
        plugins.UseStaticFiles(app);
        app.UseRouting();
        // Before authentication: an over-limit caller costs no key lookup, and is refused whether or not it is signed in.
        app.UseRateLimiter();
        app.UseBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi("/api/v1/openapi.json").AllowAnonymous();
        app.MapApi();
        app.MapMetrics();
        plugins.MapEndpoints(app, app.Logger);
        app.MapRazorPages();

        app.Services.UseScheduler(scheduler =>
        {
            JobSchedule[] coreJobs =
            [
                new(JobSchedule.Core, typeof(AccessRateAccrualJob), AccessRateAccrualJob.Cron, RunAtStart: true),
                new(JobSchedule.Core, typeof(ReportScheduleJob), ReportScheduleJob.Cron),
            ];
            foreach (var job in coreJobs.Concat(plugins.Active.SelectMany(p => p.Jobs)))
            {
                var scheduled = scheduler.ScheduleWithParams<ScheduledJobInvocable>(job).Cron(job.Cron);
                if (job.RunAtStart)
                {
                    scheduled.RunOnceAtStart();
                }

                scheduled.PreventOverlapping(job.LockKey);
            }
        });
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/plugins") && !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    private static async Task<DemoSummary?> FirstStartAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoFirstStart>().SeedIfEmptyAsync(app.Lifetime.ApplicationStopping);
    }

    private static async Task PrintWelcomeAsync(WebApplication app, DemoSummary? seeded)
    {
        var urls = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine();
        if (seeded is not null)
        {
            Console.WriteLine($"First start on an empty database. {seeded.Describe()}");
        }

        foreach (var url in urls)
        {
            Console.WriteLine($"MPM Platform is running at {url}");
        }

        await using var scope = app.Services.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<DemoFirstStart>().DemoLoginExistsAsync(CancellationToken.None))
        {
            Console.WriteLine($"Log in as {DemoFirstStart.AdminEmail} / {DemoFirstStart.AdminPassword} (the demo login of this local database).");
        }
        else if (!await scope.ServiceProvider.GetRequiredService<UserService>().AnyAsync())
        {
            Console.WriteLine("No operator account yet. Create one, then log in with it:");
            Console.WriteLine("  dotnet run --project core/MPM.Web -- users add --email admin@example.com --password change-me-now --role admin");
        }
        else
        {
            Console.WriteLine("Log in with an operator account (add one with: dotnet run --project core/MPM.Web -- users add ...).");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
    }
}

/// <summary>Ready when the database answers and every migration is applied.</summary>
public sealed class ReadinessCheck(DatabaseStartup startup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var database = startup.Database;
            var runner = new MPM.Data.Migrations.MigrationRunner(database.DataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<MPM.Data.Migrations.MigrationRunner>.Instance);
            var pending = await runner.PendingCountAsync(startup.MigrationSets, cancellationToken);
            return pending == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{pending} migration(s) pending");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"database unreachable: {e.Message}");
        }
    }
}
