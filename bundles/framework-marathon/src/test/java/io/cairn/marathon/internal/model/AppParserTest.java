package io.cairn.marathon.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppParserTest {
  static final String SEED = "{\"id\":\"/ocfweb/web\",\"cpus\":1,\"mem\":1024,\"instances\":3,"
      + "\"container\":{\"type\":\"DOCKER\",\"docker\":{\"image\":\"ocf/web:latest\"}}}";

  static JsonNode json(String text) throws Exception {
    return AppJson.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void theSeedAppIsAcceptedVerbatimWithMarathonDefaults() throws Exception {
    AppDefinition app = AppParser.parse(json(SEED), "/");
    assertEquals("/ocfweb/web", app.id());
    assertEquals(3, app.instances());
    assertEquals(1.0, app.cpus());
    assertEquals(1024.0, app.mem());
    assertEquals("DOCKER", app.container().type());
    assertEquals("ocf/web:latest", app.container().docker().image());
    assertEquals(List.of(new AppDefinition.Network("host", null)), app.networks());
    assertEquals(1, app.portDefinitions().size(), "host networking gets one default port");
    assertEquals("default", app.portDefinitions().get(0).name());
    assertEquals(1.15, app.backoffFactor());
    assertEquals(1.0, app.backoffSeconds());
    assertEquals(300.0, app.maxLaunchDelaySeconds());
    assertEquals(1.0, app.upgradeStrategy().minimumHealthCapacity());
    assertEquals(1.0, app.upgradeStrategy().maximumOverCapacity());
    assertEquals(AppDefinition.KillSelection.YOUNGEST_FIRST, app.killSelection());
    assertEquals(0, app.disk());
    assertEquals("*", app.role());
  }

  @Test
  void writtenJsonReadsBackToTheSameDefinition() throws Exception {
    String full = "{'id':'web','cmd':'python3 -m http.server $PORT0','instances':2,'cpus':0.1,"
        + "'mem':32,'env':{'A':'b'},'labels':{'team':'ocf'},'constraints':[['hostname','UNIQUE'],"
        + "['rack','GROUP_BY','2']],'healthChecks':[{'protocol':'HTTP','path':'/',"
        + "'portIndex':0,'gracePeriodSeconds':5,'intervalSeconds':2,'timeoutSeconds':1}],"
        + "'upgradeStrategy':{'minimumHealthCapacity':0.5,'maximumOverCapacity':0},"
        + "'unreachableStrategy':{'inactiveAfterSeconds':10,'expungeAfterSeconds':20},"
        + "'killSelection':'OLDEST_FIRST','dependencies':['/db'],'fetch':[{'uri':'http://x/y'}]}";
    AppDefinition app = AppParser.parse(json(full), "/ocfweb");
    assertEquals("/ocfweb/web", app.id());
    ObjectNode written = AppJson.write(app);
    assertEquals(app, AppJson.read(written));
    assertEquals("OLDEST_FIRST", written.get("killSelection").asText());
    assertEquals("['hostname','UNIQUE']".replace('\'', '"'),
        written.get("constraints").get(0).toString());
  }

  @Test
  void deprecatedDockerNetworkAndPortsAreNormalised() throws Exception {
    AppDefinition app = AppParser.parse(json("{'id':'/a','container':{'type':'DOCKER',"
        + "'docker':{'image':'nginx','network':'BRIDGE','portMappings':[{'containerPort':80}]}}}"),
        "/");
    assertEquals("container/bridge", app.networks().get(0).mode());
    assertEquals(List.of(), app.portDefinitions());
    assertEquals(80, app.container().portMappings().get(0).containerPort());
    AppDefinition ports = AppParser.parse(json("{'id':'/b','cmd':'x','ports':[0,0]}"), "/");
    assertEquals(2, ports.portDefinitions().size());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("upper-case id", "{'id':'/Web','cmd':'x'}", "Object is not valid", "/id",
            "must fully match regular expression '" + PathIds.SEGMENT_REGEX + "'"),
        Arguments.of("id ending in a reserved word", "{'id':'/a/restart','cmd':'x'}",
            "Object is not valid", "/id",
            "must not end with any of the following reserved keywords: restart, tasks, versions"),
        Arguments.of("missing id", "{'cmd':'x'}", "Invalid JSON", "/id", "error.path.missing"),
        Arguments.of("cpus as a string", "{'id':'/a','cmd':'x','cpus':'1'}", "Invalid JSON",
            "/cpus", "error.expected.jsnumber"),
        Arguments.of("negative instances", "{'id':'/a','cmd':'x','instances':-1}",
            "Object is not valid", "/instances", "got -1, expected 0 or more"),
        Arguments.of("zero cpus", "{'id':'/a','cmd':'x','cpus':0}", "Object is not valid",
            "/cpus", "got 0.0, expected 0.001 or more"),
        Arguments.of("no command", "{'id':'/a'}", "Object is not valid", "/",
            AppParser.CMD_ARGS_CONTAINER),
        Arguments.of("bad operator", "{'id':'/a','cmd':'x','constraints':[['host','NEAR']]}",
            "Object is not valid", "/constraints(0)", "operator must be one of the following"
                + " UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS"),
        Arguments.of("UNIQUE with value", "{'id':'/a','cmd':'x','constraints':[['h','UNIQUE','x']]}",
            "Object is not valid", "/constraints(0)", "UNIQUE does not accept a value"),
        Arguments.of("MAX_PER without int", "{'id':'/a','cmd':'x','constraints':[['h','MAX_PER','x']]}",
            "Object is not valid", "/constraints(0)", "MAX_PER requires an integer value"),
        Arguments.of("LIKE without regex", "{'id':'/a','cmd':'x','constraints':[['h','LIKE']]}",
            "Object is not valid", "/constraints(0)",
            "LIKE and UNLIKE require a non-empty, regular expression value"),
        Arguments.of("one-field constraint", "{'id':'/a','cmd':'x','constraints':[['h']]}",
            "Object is not valid", "/constraints(0)",
            "Each constraint must have either 2 or 3 fields"),
        Arguments.of("minimumHealthCapacity above 1",
            "{'id':'/a','cmd':'x','upgradeStrategy':{'minimumHealthCapacity':1.5}}",
            "Object is not valid", "/upgradeStrategy/minimumHealthCapacity", "is greater than 1"),
        Arguments.of("DOCKER without image", "{'id':'/a','container':{'type':'DOCKER'}}",
            "Object is not valid", "/container/docker/image", "must not be empty"),
        Arguments.of("health check port index out of range",
            "{'id':'/a','cmd':'x','portDefinitions':[],'healthChecks':[{'protocol':'HTTP'}]}",
            "Object is not valid", "/healthChecks(0)", "Health check port indices must address an"
                + " element of the ports array or container port mappings."),
        Arguments.of("two Mesos health checks",
            "{'id':'/a','cmd':'x','healthChecks':[{'protocol':'MESOS_HTTP'},"
                + "{'protocol':'COMMAND','command':{'value':'true'}}]}",
            "Object is not valid", "/", AppParser.AT_MOST_ONE_MESOS_CHECK),
        Arguments.of("two MESOS_TCP health checks",
            "{'id':'/a','cmd':'x','healthChecks':[{'protocol':'MESOS_TCP'},"
                + "{'protocol':'HTTP'},{'protocol':'MESOS_TCP'}]}",
            "Object is not valid", "/", "AppDefinition can contain at most one Mesos health check"),
        Arguments.of("port mappings with host networking",
            "{'id':'/a','container':{'type':'DOCKER','docker':{'image':'i'},"
                + "'portMappings':[{'containerPort':80}]}}",
            "Object is not valid", "/container/portMappings",
            "Port mappings are not allowed with host networking"),
        Arguments.of("unknown kill selection", "{'id':'/a','cmd':'x','killSelection':'RANDOM'}",
            "Object is not valid", "/killSelection", "error.unknown.enum.literal"),
        Arguments.of("inactive after expunge",
            "{'id':'/a','cmd':'x','unreachableStrategy':{'inactiveAfterSeconds':10,"
                + "'expungeAfterSeconds':5}}", "Object is not valid",
            "/unreachableStrategy/inactiveAfterSeconds",
            "inactiveAfterSeconds (10) must be less or equal to expungeAfterSeconds, which is 5"),
        Arguments.of("env secret", "{'id':'/a','cmd':'x','env':{'P':{'secret':'s'}}}",
            "Object is not valid", "/env/P",
            "Feature secrets is not enabled. Enable with --enable_features secrets)"),
        Arguments.of("backoffFactor below 1", "{'id':'/a','cmd':'x','backoffFactor':0.5}",
            "Object is not valid", "/backoffFactor", "got 0.5, expected 1.0 or more"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidDefinitionsAreRejectedWithMarathonsPathsAndMessages(String name, String body,
      String message, String path, String error) throws Exception {
    ValidationException e = assertThrows(ValidationException.class,
        () -> AppParser.parse(json(body), "/"));
    assertEquals(message, e.getMessage());
    Violation violation = e.details().stream().filter(v -> v.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no violation at " + path + ": " + e.details()));
    assertTrue(violation.errors().contains(error), violation.errors().toString());
  }

  @Test
  void anyNumberOfMarathonChecksAndOneMesosCheckAreAccepted() throws Exception {
    AppDefinition app = AppParser.parse(json("{'id':'/a','cmd':'x','portDefinitions':[{'port':0},"
        + "{'port':0}],'healthChecks':[{'protocol':'HTTP','path':'/health'},{'protocol':'TCP',"
        + "'portIndex':1},{'protocol':'HTTPS'},{'protocol':'MESOS_HTTP','path':'/m'},"
        + "{'protocol':'HTTP','port':8081}]}"), "/");
    assertEquals(5, app.healthChecks().size());
    assertEquals(List.of(false, false, false, true, false),
        app.healthChecks().stream().map(AppDefinition.HealthCheckDef::mesos).toList());
    assertEquals("/m", app.mesosHealthCheck().path());
    assertEquals(app, AppJson.read(AppJson.write(app)), "every check survives the store");
    AppDefinition command = AppParser.parse(json("{'id':'/a','cmd':'x','healthChecks':["
        + "{'protocol':'COMMAND','command':{'value':'true'}},{'protocol':'HTTP'}]}"), "/");
    assertEquals("COMMAND", command.mesosHealthCheck().protocol());
  }

  @Test
  void violationsAtOnePathAreMergedAndAllPathsReported() throws Exception {
    ValidationException e = assertThrows(ValidationException.class, () -> AppParser.parse(
        json("{'id':'/a','cmd':'x','cpus':-1,'mem':-1,'instances':-2}"), "/"));
    assertEquals(3, e.details().size());
  }

  @Test
  void relativeIdsResolveAgainstTheGroup() {
    assertEquals("/g/a", PathIds.appId("a", "/g").id());
    assertEquals("/a", PathIds.appId("../a", "/g").id());
    assertTrue(PathIds.appId("/", "/").error().isPresent());
    assertNull(PathIds.appId("-a", "/").id().isEmpty() ? null : "x");
  }
}
